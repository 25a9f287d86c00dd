from common import *
def m(df, k):
    X = robust_matrix(df, DEFAULT); k, C = auto_k_kmeans(X, k); return k, nearest(X, C)
run_suite("m0_reimpl", m)

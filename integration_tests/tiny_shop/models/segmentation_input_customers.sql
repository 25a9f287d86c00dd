-- The package's customers input: your columns renamed to the input contract.
select
    customer_id
from {{ ref('stg_customers') }}

"""Demo data for the segmentation package: generator, loader and build summary."""

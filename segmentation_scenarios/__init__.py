"""Scenario shops for testing k selection and clustering, independent of segmentation_demo.

`SCENARIOS` lists the shops; `segmentation_scenarios.generate` simulates and loads them.
"""

from segmentation_scenarios.scenarios import SCENARIOS

__all__ = ["SCENARIOS"]

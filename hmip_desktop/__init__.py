"""hmip-desktop: offline case assessment for HM Inspectorate of Probation inspections."""

__version__ = "0.1.0"

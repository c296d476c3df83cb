"""leadscore: lead scoring as code, on dbt and DuckDB."""

__version__ = "0.1.0"

"""Migration scripts, one per schema revision (loaded by Alembic from this folder)."""

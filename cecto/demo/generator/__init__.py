"""`cecto generate`: a deterministic, realistic synthetic dataset at small, state or national scale.

`scales` says how big; `plan` draws everything from the seed (pure Python, no database:
`directory`, `programmes`, `classes`, `enrolling`, `attendance`); `tables` turns the plan into
rows; `writer` streams them into SQLite or PostgreSQL; `load` puts it together.
"""

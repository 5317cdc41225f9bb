"""Emitting: a lowered workflow tree becomes one readable, compiled-checked Python module.

Pure (no Django): `module` assembles the file; `steps`, `containers`,
`spawn`, `retry` and `handlers` emit the statements of each node kind;
`names` allocates every generated name; `support` holds the context they
share; `printer`, `unparser`, `split` and `layout` print the tree as
readable text; `compile_check` proves the bytes compile as UTF-8.
"""

"""Emitting: a lowered workflow tree becomes one readable, compiled-checked Python module.

Pure (no Django): `module` assembles the file; `flow` prints the tree's
sequences, conditions and error edges and hands every step and container
to its node type's emit function, registered by type name in `registry`
(`steps`, `containers` and `spawn` register theirs; `emitters` imports
them all); `handlers` emits the declarations, `retry` the shared retry
policies; `names` allocates every generated name; `support` holds the
context they share; `printer`, `unparser`, `split` and `layout` print the
tree as readable text; `compile_check` proves the bytes compile as UTF-8.
"""

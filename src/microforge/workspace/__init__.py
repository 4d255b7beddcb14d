"""A project on disk: its config turned into specs, its data and folds, its run folder.

Everything here reads; the stages that write (train, quantize, export) live in
`microforge.pipeline`, and `microforge.project.Project` puts the two together.
"""

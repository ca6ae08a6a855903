"""The app's files on disk, below every layer that writes them (Qt-free, standard library and
`domain` only, so that importing it costs nothing at start): `safe` — the one check of a file
the seller chose to save to and the one writer of whole, private files — and `names`, the
names of the files the app keeps beside its database."""

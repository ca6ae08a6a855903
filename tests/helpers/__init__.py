"""What test modules share that is not a fixture: real stand-ins (an HTTP proxy that misbehaves
on cue, in-memory and file keyrings, a webhook receiver, a process holding the sync lease),
hostile values, and the builders and checks several test folders use (stored shops, synced
shops, the emulator's client). Fixtures stay in the `conftest.py` files, which import from
here; a test module imports from here, never from another test module or a conftest."""

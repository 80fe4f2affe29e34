"""The lsms strict emulator: moto's server app wrapped by one WSGI layer.

`lsms_emulator.app.make_app()` builds the wrapped application; `python -m
lsms_emulator` serves it on 127.0.0.1 (see tests/emulator/README.md).
"""

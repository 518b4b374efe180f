import gc
import sys

import uvicorn

from gateway.app import create_app
from gateway.config import Settings
from servicekit.auth import UnsafeKey
from servicekit.telemetry import configure_logging, configure_tracing


def main() -> None:
    settings = Settings()
    configure_logging("gateway", settings.log_level, settings.log_dir)
    configure_tracing("gateway")
    try:
        app = create_app(settings)
    except UnsafeKey as error:
        sys.exit(f"gateway refuses to start: {error}")
    # The app and what it loaded live as long as the process: frozen, the collector's full
    # passes skip them instead of walking them all again while a large response's objects pile
    # up (a fifth of the gateway's CPU on a 1,000-line quote).
    gc.freeze()
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
    )


main()

"""Allow ``python -m hmip_desktop``."""

from hmip_desktop.cli.main import main

raise SystemExit(main())

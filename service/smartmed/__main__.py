from smartmed.cli import main

raise SystemExit(main())

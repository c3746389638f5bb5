"""One module per hgap subcommand: ``add_parser(subparsers)`` registers it, ``args.run(args)`` runs it."""

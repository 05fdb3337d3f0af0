import gc

from bot.cli import main

code = main()
gc.freeze()  # exiting: the last collection need not walk the knowledge base, its index and the model again
raise SystemExit(code)

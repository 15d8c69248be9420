from deepenough.cli import main

main()

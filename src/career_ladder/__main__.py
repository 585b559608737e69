from career_ladder.cli import main

main()

#!/bin/sh
# A stand-in browser for end-to-end tests: xdg-open runs "$BROWSER <url>"; we write the URL down.
printf '%s\n' "$1" >> "$COMICS_TEST_RECORD"

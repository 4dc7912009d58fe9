"""What is and is not a key figure, as word lists: the house rules (see the annotation
rules for the gold files) in one place, so an editor's correction is a data change."""
from __future__ import annotations

# Approximation words in front of a figure, longest first when matched.
QUALIFIERS = ("just over", "just under", "more than", "less than", "fewer than", "at least", "up to",
              "almost", "nearly", "around", "about", "approximately", "roughly", "over")

TIME_UNITS = ("year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
              "minute", "minutes", "decade", "decades", "year-old", "year-olds", "years-old", "-year-old",
              "century", "centuries", "fortnight", "fortnights")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")

# Words just before a number that make it a reference or an address, not a finding.
REFERENCE_WORDS = ("section", "sections", "article", "articles", "part", "schedule", "clause", "regulation",
                   "act", "chapter", "rule", "paragraph", "page", "pages", "room", "unit", "number", "no.",
                   "call", "tel", "tel:", "telephone", "phone", "ring", "aged", "ages", "age", "between")
# Words before a count that make it the size of a sample or a source (how, not what).
SAMPLE_CUES = ("survey", "surveyed", "poll", "polled", "sample", "responses", "response", "questioned",
               "interviewed", "consulted", "study", "analysis", "respondents", "involving")
# Things that are counted only as sources of data or as the method.
SOURCE_NOUNS = ("police forces", "forces", "councils", "local authorities", "authorities", "trusts",
                "respondents", "participants", "tests", "questions", "indicators", "criteria", "areas",
                "regions", "countries", "nations", "organisations", "charities", "agencies", "sites",
                "platforms", "apps", "members", "mps", "people surveyed", "adults surveyed", "hospitals")
# A small count is a finding only when it counts one of these (otherwise it is narrative).
MEASURE_NOUNS = ("offences", "offence", "crimes", "crime", "children", "child", "young", "people", "pupils",
                 "cases", "referrals", "applications", "households", "families", "contacts", "instances",
                 "incidents", "reports", "victims", "deaths", "placements", "assessments", "calls",
                 "exclusions", "arrests", "girls", "boys", "babies", "teenagers", "adults", "carers",
                 "social workers", "vacancies", "times")
SMALL_COUNT = 100
# First-person words just before a count make it one person's anecdote ("I had 30 cases").
ANECDOTE_WORDS = ("i", "my", "me", "we", "our")

# Multipliers and other words after a number that make it something else.
MULTIPLIER_AFTER = ("times more", "times less", "times higher", "times greater", "times as", "times the",
                    "times likely", "fold")
# Words after a fraction that make it a time span ("half an hour", "a quarter of the year").
FRACTION_TIME_AFTER = ("an hour", "a century", "a day", "a year", "of the year", "of 19", "of 20",
                       "term", "time", "century")
FRACTION_ORDINAL_BEFORE = ("first", "second", "last", "and")

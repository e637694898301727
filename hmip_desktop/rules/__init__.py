"""The rating rules: key-question bands, standard ratings, discretion flags, overall rating."""

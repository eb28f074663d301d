"""tsunagu (つなぐ): the information side of a city's community welfare plan."""

__version__ = "0.1.0"

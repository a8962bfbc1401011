// readinglist: progressive enhancements.  Every page reads fine without this.

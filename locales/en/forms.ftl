# Words the applicant's forms share: the three boxes of a date, and whether a document is needed.

date-day = Day
date-month = Month
date-year = Year
document-required = Required
document-optional = If it applies

# The host portal: a host's arrival notifications, the form for one arrival, its
# confirmation, and the upload of a CSV of guests.

host-title = Your arrival notifications
host-lead = Notify the migration police of every foreign guest within the deadline after their arrival. These are the notifications you have sent, newest first.
host-notify = Notify an arrival
host-upload = Upload a CSV of guests
host-list-empty = You have not notified any arrivals yet.
host-list-no-older = There are no older notifications.
host-newest = Newest notifications
host-older = Older notifications
host-times = Times are local time ({ $zone }).
host-table-caption = Your notifications
host-col-guest = Guest
host-col-arrived = Arrived
host-col-deadline = Deadline
host-col-status = Notified
host-col-fine = Fine
host-late = Late
host-on-time = On time
host-fine-amount = { $amount } tenge
host-fine-warning = A warning, no fine

host-new-title = Notify an arrival
host-new-lead = Tell us who arrived, when, and where they are staying. The deadline and any fine are worked out for you.
host-back = Back
host-guest = The guest
host-mrz = Machine-readable zone of the passport
host-mrz-hint = If you have a passport reader, paste the two lines at the bottom of the photo page (three lines on an ID card). Otherwise leave this empty and fill in the fields below.
host-or-typed = Or type the details as printed in the passport
host-surname = Surname
host-given-names = Given names
host-given-names-hint = Leave empty if the passport shows none
host-passport-number = Passport number
host-nationality = Nationality
host-nationality-hint = The three-letter code in the passport, for example CHN, DEU or KOR
host-birth-date = Date of birth
host-passport-expiry = Passport expiry date
host-date-hint = For example, 27 3 1990
host-day = Day
host-month = Month
host-year = Year
host-time = Time
host-sex = Sex
host-sex-female = Female
host-sex-male = Male
host-sex-unspecified = Unspecified (X)
host-stay = Arrival and address
host-arrived = Date and time of arrival
host-arrived-hint = Local time, for example 20 11 2026 and 14:30. For an expected guest, when they plan to arrive.
host-city = City or town
host-address-line = Street, building and flat or room
host-submit = Submit
host-error-date = Enter a real date: the day, the month and the year as numbers, for example 27 3 1990.
host-error-arrival = Enter a real date as day, month and year, and the time as hours and minutes, for example 14:30.
host-required-guest-surname = Enter the guest's surname
host-required-guest-passport_number = Enter the passport number
host-required-guest-nationality = Enter the nationality
host-required-guest-birth_date = Enter the date of birth
host-required-guest-sex = Select the sex shown in the passport
host-required-guest-passport_expiry = Enter the passport expiry date
host-required-arrived_at = Enter the date and time of arrival
host-required-address-city = Enter the city or town
host-required-address-line = Enter the street, building and flat or room
host-required-file = Choose a CSV file to upload

# Expected guests: recorded before they arrive, confirmed when they come.
host-intent = Has the guest arrived?
host-intent-now = Yes: notify the arrival now
host-intent-now-hint = The notification is sent when you submit this form.
host-intent-expected = Not yet: record the guest as expected
host-intent-expected-hint = Enter when the guest plans to arrive. Nothing is notified until you confirm the arrival; if the deadline passes first, the notification is late.
host-expected-heading = Expected guests
host-expected-lead = Guests you recorded as expected, soonest deadline first. Confirm each arrival when the guest comes: until then nothing has been notified.
host-expected-caption = Your expected guests
host-notified-heading = Notifications sent
host-col-planned = Expected arrival
host-col-state = Status
host-col-action = Action
host-expected = Expected
host-deadline-missed = Deadline missed
host-confirm = Confirm arrival
host-expected-title = Guest expected: { $number }
host-expected-heading-one = Guest recorded as expected
host-expected-text = Nothing has been notified yet. When the guest arrives, confirm the arrival below: the notification is sent at that moment.
host-missed-text = The deadline passed on { $deadline } before the arrival was confirmed, so the notification is late. Confirm the arrival as soon as the guest is with you.
host-confirm-heading = Confirm the arrival
host-confirm-arrived = When did the guest arrive?
host-confirm-arrived-hint = Local time, for example 20 11 2026 and 14:30. Change it if the guest did not arrive at the planned time.
host-confirm-submit = Confirm the arrival and notify

host-confirmation-title = Arrival notified: { $number }
host-confirmation-heading = Arrival notified
host-confirmation-number = Confirmation number
host-late-text = This notification was late: the deadline was { $deadline }.
host-notified-at = Notified
host-deadline = Deadline to notify
host-in-time = In time?
host-fine = Fine for late notification
host-address = Address
host-print-hint = Keep this page as proof: print it, or save it as a PDF, with your browser's Print command.
host-back-to-list = Back to your notifications
host-notify-another = Notify another arrival

host-import-title = Upload a CSV of guests
host-import-lead = Notify many arrivals at once: upload a CSV file (UTF-8) with one guest on each line. Good lines are recorded; lines with problems are listed so that you can correct them.
host-import-columns = The first line must name these columns, in this order:
host-import-example = An example line:
host-import-formats = Dates as YYYY-MM-DD; the arrival as date, time and offset, for example 2026-11-20T14:30:00+05:00; sex as M, F or X; nationality as the three-letter code.
host-import-file = CSV file
host-import-submit = Upload
host-report-title = Upload report
host-report-accepted = { $count ->
    [one] { $count } arrival recorded.
   *[other] { $count } arrivals recorded.
}
host-report-late = { $count ->
    [one] { $count } of them was late.
   *[other] { $count } of them were late.
}
host-report-all-good = Every line was accepted.
host-report-refused = { $count ->
    [one] { $count } line refused
   *[other] { $count } lines refused
}
host-report-refused-lead = Nothing was recorded for these lines. Correct them and upload a file with just these guests: the other lines are already recorded, and uploading them again would notify them twice.
host-col-line = Line
host-col-column = Column
host-col-problem = Problem
host-upload-another = Upload another file

error-csv-encoding = The file is not UTF-8 text. Save the CSV as "CSV UTF-8" and upload it again.

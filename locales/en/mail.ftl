# E-mail messages the worker sends: to applicants about their application, and to hosts
# about arrival deadlines. Each message has a subject (with the number when there is one),
# a heading and paragraphs; the facts are shown as labelled lines.

mail-service = { $authority } · tirkeu, registration of foreigners
mail-greeting = Hello,
mail-footer-auto = This message was sent automatically by tirkeu, the registration of foreigners. Please do not reply to it.
mail-footer-applicant = You receive it because this e-mail address was given in an application for a registration card.
mail-footer-host = You receive it because this e-mail address belongs to a host account.
mail-footer-safety = We never ask for your access code, a password or a payment by e-mail. A message that does is not from us.

# Dates and times, always in the authority's time zone.
mail-date = { $day } { $month } { $year }
mail-datetime = { $date }, { $time } ({ $offset }, { $zone })
mail-month-1 = January
mail-month-2 = February
mail-month-3 = March
mail-month-4 = April
mail-month-5 = May
mail-month-6 = June
mail-month-7 = July
mail-month-8 = August
mail-month-9 = September
mail-month-10 = October
mail-month-11 = November
mail-month-12 = December

# Between a label and its value in the plain text ("Guest: …").
mail-separator = {": "}

# Labels of the facts.
mail-label-number = Application number
mail-label-permit = Card type
mail-label-reason = Reason
mail-label-needed = What is needed
mail-label-respond-by = Answer by
mail-label-when = When
mail-label-where = Where
mail-label-office = Office
mail-label-address = Address
mail-label-bring = What to bring
mail-label-valid-until = Valid until
mail-label-guest = Guest
mail-label-confirmation = Confirmation number
mail-label-arrived = Arrived
mail-label-deadline = Deadline to notify
mail-label-fine = Fine for late notification
mail-label-article = Legal basis

mail-bring-documents = your passport and the receipt of your application
mail-fine-amount = { $amount } tenge
mail-fine-warning = a warning, no fine
mail-guest-unknown = your guest

# Links.
mail-link-status = Check the status of your application
mail-link-application = Open your application
mail-link-renew = Renew your card
mail-link-host = Open your arrival notifications

# Receipt of a submitted application. Never contains the access code.
mail-receipt-subject = Application received: { $number }
mail-receipt-heading = We have received your application
mail-receipt-intro = Your application for a registration card has been submitted and registered.
mail-receipt-next = What happens next: an officer will check your application and documents. We will write to you at this address whenever its status changes.
mail-receipt-keep = Keep your application number and the access code printed on your receipt: you need both to answer a request or to withdraw the application. The access code is never sent by e-mail.

mail-review_started-subject = Your application { $number } is being reviewed
mail-review_started-heading = The review of your application has started
mail-review_started-intro = An officer has started reviewing your application.
mail-review_started-next = You do not need to do anything now. If the officer needs more information, we will write to you.

mail-info_requested-subject = Information needed for application { $number }
mail-info_requested-heading = We need more information from you
mail-info_requested-intro = The officer reviewing your application needs more information before deciding.
mail-info_requested-how = How to answer: open your application page, enter your application number and the access code from your receipt, then upload what is asked for or write your answer.
mail-info_requested-late = If we have no answer by the date above, your application may be closed.

mail-approved-subject = Application { $number } approved
mail-approved-heading = Your application has been approved
mail-approved-intro = Your application for a registration card has been approved.
mail-approved-next = What happens next: your card will be prepared, and we will write to you with the place and time to collect it. You do not need to do anything now.

mail-rejected-subject = Decision on application { $number }
mail-rejected-heading = Your application has been refused
mail-rejected-intro = We are sorry: your application for a registration card has been refused for the reason below.
mail-rejected-next = You may apply again once the reason no longer applies. If you have questions about the decision, contact the migration office that handled your application.

mail-ready_for_collection-subject = Your card is ready to collect: application { $number }
mail-ready_for_collection-heading = Your registration card is ready
mail-ready_for_collection-intro = Your registration card is ready. Please collect it in person at the place and time below.
mail-ready_for_collection-next = If you cannot come at that time, contact the office. A card that is not collected may be cancelled.

mail-issued-subject = Registration card issued: application { $number }
mail-issued-heading = Your registration card has been issued
mail-issued-intro = Your registration card has been issued.
mail-issued-next = If you stay longer, apply to renew the card before the date above. We will remind you in good time.

mail-withdrawn-subject = Application { $number } withdrawn
mail-withdrawn-heading = Your application has been withdrawn
mail-withdrawn-intro = Your application has been withdrawn at your request. It will not be processed further.
mail-withdrawn-next = If you did not withdraw it yourself, contact the migration office at once.

mail-abandoned-subject = Application { $number } closed
mail-abandoned-heading = Your application has been closed
mail-abandoned-intro = Your application has been closed because a step was not completed in time: the application was not submitted, a request for information was not answered, or the card was not collected.
mail-abandoned-next = If you still need a registration card, you may submit a new application.

mail-expired-subject = Your registration card has expired: application { $number }
mail-expired-heading = Your registration card has expired
mail-expired-intro = Your registration card is no longer valid.
mail-expired-next = If you are still staying in the country, you need a new card: apply for one without delay.

mail-revoked-subject = Your registration card has been revoked: application { $number }
mail-revoked-heading = Your registration card has been revoked
mail-revoked-intro = Your registration card has been revoked for the reason below and is no longer valid.
mail-revoked-next = If you have questions about the decision, contact the migration office.

mail-expiry_reminder-subject = { $days ->
    [0] Your registration card expires today
    [one] Your registration card expires in { $days } day
   *[other] Your registration card expires in { $days } days
}
mail-expiry_reminder-heading = Time to renew your registration card
mail-expiry_reminder-intro = { $days ->
    [0] Your registration card is valid until the end of today.
    [one] Your registration card expires in { $days } day.
   *[other] Your registration card expires in { $days } days.
}
mail-expiry_reminder-next = If you are staying longer, apply to renew it before it expires.

mail-host_deadline_approaching-subject = Arrival notification due soon: { $guest }
mail-host_deadline_approaching-heading = The deadline to notify an arrival is near
mail-host_deadline_approaching-intro = The deadline to notify the migration police of your guest's arrival is approaching.
mail-host_deadline_approaching-next = If you have not notified the arrival yet, do it in the host portal before the deadline. A late notification may be fined.

mail-host_deadline_missed-subject = Arrival notification deadline passed: { $guest }
mail-host_deadline_missed-heading = The deadline to notify an arrival has passed
mail-host_deadline_missed-intro = The deadline to notify the migration police of your guest's arrival has passed, and we have no notification.
mail-host_deadline_missed-next = Notify the arrival in the host portal now. A late notification is subject to the fine shown above.

# Application status: what happens next in each state. Ids: `status-next-` + the state as
# the API names it.

status-next-draft = Complete the application, upload the documents and submit it.
status-next-submitted = Your application was received and is waiting for review.
status-next-in_review = An officer is reviewing your application.
status-next-info_requested = More information is needed: upload the requested documents and respond.
status-next-approved = Approved; you will be told when and where to collect your card.
status-next-rejected = The application was refused. The notice gives the reason.
status-next-ready_for_collection = Your card is ready: come at the time given, with your passport.
status-next-issued = Your card was issued. Remember to renew it before it expires.
status-next-withdrawn = The application was withdrawn.
status-next-abandoned = The application was closed because it was not completed in time.
status-next-expired = The card has expired.
status-next-revoked = The card was revoked.

# The next steps printed on the receipt, in order.

status-receipt-step-keep = Keep the application number and the access code.
status-receipt-step-check = Check the status with the application number and your passport number.
status-receipt-step-notice = If more information is needed you will be notified.

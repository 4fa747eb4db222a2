# The application receipt (acknowledgement notice), PDF and printable HTML page.

receipt-title = Acknowledgement of application
receipt-number = Application number
receipt-access-code = Access code
receipt-keep-secret = Keep this code secret and do not share it. It is shown only once. You will need it, together with the application number, for any later action on your application.
receipt-code-not-shown = The access code is shown only once, when the application is submitted, so it is not on this copy.
receipt-applicant = Applicant
receipt-permit-type = Card type
receipt-submitted-on = Date of submission
receipt-office = Office
receipt-processing-time = Expected processing time
receipt-processing-time-value = { $days ->
    [one] about { $days } working day
   *[other] about { $days } working days
}
receipt-documents = Documents submitted
receipt-next-steps = Next steps
receipt-scan-qr = Scan the QR code to check the status of your application
receipt-footer = Issued by tirkeu · Generated: { $generated }
receipt-print-hint = To print or save as PDF, use your browser's Print command.
receipt-page = Page { $page } of { $pages }

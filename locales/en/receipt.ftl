# The application receipt (acknowledgement notice), PDF and printable HTML page.

receipt-title = Acknowledgement of application
receipt-number = Application number
receipt-access-code = Access code
receipt-keep-secret = Keep this code secret and do not share it. You need it, together with the application number, for every later action on your application. tirkeu keeps only a fingerprint of it and cannot show it to you again if you lose it.
receipt-code-not-shown = This copy does not show the access code. You received it when you created the application; tirkeu keeps only a fingerprint of it and cannot show it to you again.
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

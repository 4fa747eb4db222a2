# "My application": opening one's own application with its number and access code, and what
# can be done with it.

application-open-title = Continue or manage your application
application-open-lead = Enter the application number and the access code from your receipt. You can do this from any device.
application-code = Access code
application-code-hint = 26 letters and digits, as on your receipt
application-open-submit = Open my application
application-status-only = Only want to check the status? Use your passport number instead
application-not-found = No application matches this number and access code. Check both and try again.

application-title = Application { $number }
application-office = Migration office
application-continue-draft = Continue this application
application-requested = The officer asks for more information
application-requested-text = Upload the documents asked for, then send your answer. Your application goes back to the officer when you send it.
application-respond-heading = When everything is uploaded
application-respond = Send my answer
application-withdraw = Withdraw this application
application-forget = Close on this device

application-withdraw-title = Withdraw your application?
application-withdraw-text = Application { $number } will be withdrawn and no decision will be made on it.
application-withdraw-warning = This cannot be undone. To get a card later, you will have to apply again.
application-withdraw-submit = Yes, withdraw it
application-withdraw-cancel = No, keep my application

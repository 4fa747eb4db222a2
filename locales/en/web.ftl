# The web UI's frame and public pages: layout, home, status, staff sign-in, errors.

site-name = tirkeu
site-tagline = Registration of foreigners
skip-to-content = Skip to main content
language-switch = Language
footer-text = tirkeu is open-source software for registering foreigners and issuing registration cards.
footer-api = API for developers
error-prefix = Error:
error-summary-title = There is a problem
error-summary-item = { $label }: { $message }
back = Back
continue = Continue
sign-out = Sign out
signed-in-as = Signed in as { $name }

home-title = Register your stay and get a registration card
home-lead = For foreigners staying in Kazakhstan, the people and organisations who host them, and migration officers.
home-eligibility = Do I need a card?
home-eligibility-text = Count the days of your stay, see whether you need a registration card, which one fits and which documents to bring.
home-apply = Apply for a card
home-apply-text = Apply online, upload your documents and get a receipt with an application number.
home-status = Check my status
home-status-text = Enter your application number and passport number to see where your application stands.
home-continue = Continue or manage my application
home-renew = Renew a card
home-others = Hosts and staff
home-hosts = Hosts: notify a guest's arrival
home-staff = Staff sign-in

status-title = Check the status of an application
status-lead = Enter the application number from your receipt and the number of the passport you applied with.
status-number = Application number
status-number-hint = 16 letters and digits, for example XPVF-ZZDW-RWPB-VXX5
status-passport = Passport number
status-passport-hint = As printed in your passport
status-submit = Check status
status-not-found = No application matches this number and passport number. Check both and try again.
status-result-title = Application { $number }
status-current = Status
status-updated = Last changed
status-next = What happens next
status-again = Check another application
status-manage = Manage this application

state-draft = Draft, not submitted yet
state-submitted = Received
state-in_review = Being reviewed
state-info_requested = More information needed
state-approved = Approved
state-rejected = Refused
state-ready_for_collection = Card ready to collect
state-issued = Card issued
state-withdrawn = Withdrawn
state-abandoned = Closed, not completed
state-expired = Card expired
state-revoked = Card revoked

staff-title = Sign in
staff-lead = For migration officers, supervisors, administrators and hosts.
staff-username = Username
staff-password = Password
staff-submit = Sign in
staff-failed = The username or password is not right, or the account is disabled.
staff-nav-label = Back office
staff-nav-queues = Work queues
staff-nav-dashboard = Dashboard
staff-nav-admin = Administration
staff-home-title = Welcome, { $name }
staff-home-lead = You are signed in as { $role }.
staff-home-next = The case queue and the back office pages are being built; until then use the API described at /api/openapi.json.

not-found-title = Page not found
not-found-text = If you typed the address, check it is correct. If you followed a link, go to the start page.
not-found-home = Go to the start page

# The administrator's pages: accounts, API keys, the policy (web/admin.rs, templates/admin/).

admin-forbidden-title = You cannot open this page
admin-forbidden-text = This page is for administrators. Your account does not have that role; ask an administrator if you need it.
admin-forbidden-back = Go to your start page

admin-back = Back to administration
admin-back-users = Back to accounts

admin-role = Role
admin-role-officer = Migration officer
admin-role-officer-hint = Works the queue of applications of their office.
admin-role-supervisor = Supervisor
admin-role-supervisor-hint = An officer who may also approve and issue as the second person.
admin-role-admin = Administrator
admin-role-admin-hint = Manages accounts, API keys and the policy.
admin-role-host = Host
admin-role-host-hint = A hotel, landlord, employer or university that notifies arrivals.

admin-home-title = Administration
admin-home-lead = Manage the accounts that sign in to tirkeu and the policy it runs by.
admin-home-users-hint = Create accounts, disable them, and give hosts API keys.
admin-home-policy-hint = Read the rules in force, download the policy file and replace it.
admin-home-accounts = Accounts by role
admin-home-disabled = Disabled accounts
admin-home-policy = The policy in force

admin-users-title = Accounts
admin-users-caption = All accounts
admin-office = Office
admin-host-kind = Host kind
admin-created = Created
admin-state = State
admin-actions = Actions
admin-disabled = Disabled
admin-active = Active
admin-you = This is you
admin-enable = Enable
admin-disable = Disable

admin-new-title = Create an account
admin-username-hint = 3 to 64 letters, digits, dots, dashes or underscores.
admin-office-hint = Officers and supervisors see the cases of their office. Optional.
admin-office-none = No office
admin-host-kind-hint = Hosts only: the fines for late notifications depend on it. Left empty, a host gets the policy's first kind.
admin-host-kind-none = Not a host
admin-password-hint = At least 12 characters. Leave it empty and a password is made up and shown to you once.
admin-email = E-mail address
admin-email-hint = Messages to the account are written here; hosts are reminded of their arrival deadlines. Optional.
admin-language = Language of messages
admin-language-hint = The language of the e-mails to this account. Optional.
admin-language-none = Not set
admin-new-submit = Create the account

admin-done-created = The account was created.
admin-done-disabled = The account was disabled: its sessions ended and its API keys stopped working.
admin-done-enabled = The account was enabled again.
admin-done-revoked = The API key was revoked; it no longer works.
admin-done-replaced = The new policy is in force: { $id }, version { $version }.

admin-user-title = Account { $name }
admin-own-account = This is your own account; it cannot be disabled here.
admin-disable-hint = Disabling ends the account's sessions and stops its API keys. It can be enabled again.

admin-keys-title = API keys
admin-keys-lead = A host's software sends an API key to notify arrivals through the API. The key is shown once when it is created; only a fingerprint of it is kept.
admin-keys-none = This host has no API keys yet.
admin-key-label = Label
admin-key-label-hint = Say where the key is used, for example "front desk" or the booking system's name.
admin-key-revoked = Revoked { $at }
admin-key-new = Create an API key
admin-key-submit = Create the key
admin-revoke = Revoke

admin-once-password-title = Account created
admin-once-key-title = API key created
admin-once-gone-title = Already shown
admin-once-for = For the account { $name }
admin-once-password = The password
admin-once-key = The API key
admin-once-key-label = Label: { $label }
admin-once-warning = Copy it now: it will not be shown again. tirkeu keeps only a fingerprint of it, so no one can look it up later.
admin-once-password-use = Give it to the account's owner in a safe way; they sign in with it.
admin-once-key-use = The host's software sends it with every request, in this header:
admin-once-gone = This secret was shown once and is not shown again. If it was lost, create a new one (and revoke the old key).
admin-once-back = Back to the account { $name }

admin-revoke-title = Revoke the API key "{ $label }"?
admin-revoke-warning = Software that uses this key can no longer notify arrivals with it. This cannot be undone.
admin-revoke-submit = Yes, revoke the key
admin-cancel = Cancel

admin-policy-title = The policy
admin-policy-name = Name
admin-policy-id = Identifier
admin-policy-version = Version
admin-policy-source = Source
admin-policy-source-default = The default policy built into tirkeu (policy/kz.toml)
admin-policy-source-file = A policy file loaded in place of the built-in default
admin-policy-zone = Time zone
admin-policy-download = Download the policy file (TOML)
admin-policy-rules = Deadlines and limits
admin-policy-deadline = Hosts notify an arrival within
admin-policy-card-after = A card is needed for a stay longer than
admin-policy-host-kinds = Kinds of host
admin-policy-types = Card types
admin-policy-processing = Processing time
admin-policy-validity = Longest validity
admin-policy-fee = Fee
admin-policy-documents = Documents
admin-policy-optional = optional
admin-policy-fines = Fines
admin-policy-offence = Offence
admin-policy-who = Applies to
admin-policy-amount = Amount
admin-policy-article = Article
admin-policy-offence-late = Late arrival notification
admin-policy-offence-overstay = Overstay
admin-policy-any-host = Any host
admin-policy-any-overstay = Any overstay
admin-policy-days-over-range = { $from } to { $to } days over
admin-policy-days-over-from = { $count ->
    [one] { $count } day over or more
   *[other] { $count } days over or more
}
admin-policy-offices = Offices
admin-policy-address = Address
admin-policy-serves = Places it serves
admin-policy-office-default = Serves every place no other office serves
admin-policy-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
admin-policy-working-days = { $count ->
    [one] { $count } working day
   *[other] { $count } working days
}
admin-policy-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
admin-amount-kzt = { $amount } ₸
admin-amount-mci = { $mci } MCI
admin-amount-mci-today = { $mci } MCI (today { $amount } ₸)

admin-policy-replace = Replace the policy
admin-policy-replace-lead = Download the file above, change it, and upload it here, or paste the whole file into the box. It is checked first: a file with any problem is refused, and the policy in force stays as it is.
admin-policy-file = Policy file
admin-policy-file-hint = A TOML file of at most { $max } KiB.
admin-policy-text = Or paste the policy here
admin-policy-text-hint = Used when no file is chosen.
admin-policy-submit = Check and put in force
admin-policy-refused = { $count ->
    [one] The policy has a problem, listed below by line and field; it was not put in force.
   *[other] The policy has { $count } problems, listed below by line and field; it was not put in force.
}
admin-policy-issues = Problems in the policy file
admin-policy-line = Line
admin-policy-field = Field
admin-policy-problem = What is wrong
admin-policy-english = The policy checker describes problems in English only for now.

error-account-role_required = Choose the account's role.
error-account-username_taken = This username is already taken; choose another.
error-office-unknown = Unknown office "{ $value }"; expected one of { $known }.
error-office-required = A { $role } works the cases of one office: choose the office.
error-policy-too_large = The policy file is larger than { $max } KiB.
error-policy-encoding = The file is not text in UTF-8. Save the policy as UTF-8 and upload it again.
error-policy-missing = Choose a policy file or paste the policy into the box.
admin-role-office = Role and office
admin-amount-no-fee = No fee
admin-amount-warning = A warning, no fine
admin-user-office = Office: { $name }
admin-user-host-kind = Host kind: { $name }

# The messages that could not be sent (web/messages.rs, templates/admin/messages.html, resend.html).
admin-home-messages = Messages
admin-home-messages-hint = See the e-mails that could not be sent and send them again.
admin-messages-title = Messages
admin-messages-lead = tirkeu sends its e-mails to applicants and hosts from a queue. A message the mail server refused, or one that could not be sent for longer than the policy allows, waits here until you send it again. Check the mail server's reply first: sending again helps only once its cause is fixed.
admin-messages-pending = Waiting to be sent
admin-messages-failed = Failed
admin-messages-failed-title = Messages that could not be sent
admin-messages-caption = Messages that could not be sent, the most recently failed first
admin-messages-none = No message has failed.
admin-messages-no-more = There are no more failed messages.
admin-messages-id = Message
admin-messages-kind = What it is
admin-messages-case = Application
admin-messages-no-case = Not about an application
admin-messages-attempts = Attempts
admin-messages-failed-at = Failed
admin-messages-error = The mail server's reply
admin-messages-no-error = No reply was recorded.
admin-messages-resend = Send again
admin-messages-resend-which = message { $id }
admin-messages-older = Older failed messages
admin-messages-back = Back to the messages
admin-resend-title = Send message { $id } again?
admin-resend-text = The message goes back into the queue to be sent at once, with a fresh allowance of retries. If it fails again, it comes back to this list.
admin-resend-submit = Yes, send it again
admin-done-resent = The message is back in the queue and will be sent again shortly.

admin-kind-notice-receipt = Application received (receipt)
admin-kind-notice-review_started = Review started
admin-kind-notice-info_requested = More information requested
admin-kind-notice-approved = Application approved
admin-kind-notice-rejected = Application refused
admin-kind-notice-ready_for_collection = Card ready to collect
admin-kind-notice-issued = Card issued
admin-kind-notice-withdrawn = Application withdrawn
admin-kind-notice-abandoned = Application closed, not completed
admin-kind-notice-expired = Card expired
admin-kind-notice-revoked = Card revoked
admin-kind-reminder-expiry = Reminder: the card expires soon
admin-kind-host-deadline_approaching = To a host: an arrival notification is due soon
admin-kind-host-deadline_missed = To a host: an arrival notification is late

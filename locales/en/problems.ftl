# Problem documents of the API: titles by kind, and the details and field problems that are
# not about one person's data (those are in errors.ftl). Ids: `title-` + kind, and
# `error-` + the stable code with `.` as `-`.

title-validation = Invalid request
title-bad-request = Bad request
title-not-found = Not found
title-unauthorized = Authentication required
title-forbidden = Forbidden
title-conflict = Conflict
title-stale-version = The case has changed
title-version-required = Version required
title-rate-limited = Too many requests
title-too-large = Too large
title-unsupported-media-type = Unsupported media type
title-unavailable = Service unavailable
title-request-timeout = Request timeout
title-method-not-allowed = Method not allowed
title-internal = Internal error

error-request-invalid = Some fields are not right; see the list.
error-request-not_found = Nothing was found for this request.
error-request-rate_limited = Too many attempts. Try again in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}.
error-request-method_not_allowed = This address does not accept that method; see /api/openapi.json.
error-request-internal = Something went wrong on our side. It has been logged with the number { $id }.
error-request-not_ready = The service cannot reach its database at the moment.
error-request-taken = { $what } is already taken.
error-request-body_timeout = The request's content did not arrive within { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}. Check the connection and send it again.
error-request-timed_out = The request took too long to answer. Try again in a moment.
error-request-overloaded = The service is busy. Try again in a moment.

error-application-duplicate = An open application for this passport and card type already exists. Continue it with its number and access code.
error-application-changed_meanwhile = The application changed meanwhile. Reload it and try again.
error-receipt-not_yet = The receipt exists once the application is submitted.

error-case-stale_version = Someone else changed the case; it is now at version { $current }. Reload it and try again.
error-case-illegal_transition = You cannot { $action } an application that is { $state }.
error-case-role_may_not = The { $role } role may not { $action }; it is for: { $allowed }.
error-case-second_person_required = { $action } takes a second person: { $needs ->
    [supervisor] a supervisor who did not review the case
   *[other] someone other than the officer who reviews the case
 }.
error-case-if_match_required = Send If-Match with the case's ETag (its version) from GET /api/v1/cases/{"{"}number{"}"}.
error-case-if_match_invalid = If-Match must be the ETag of the case, for example "3".

error-body-not_json = The body is not valid JSON: { $detail }
error-body-json_content_type = Send the body as JSON with Content-Type: application/json.
error-body-too_large = The body is too large.
error-body-unreadable = The body cannot be read: { $detail }
error-request-unreadable = The request cannot be read: { $detail }

error-auth-session_expired = The session is unknown or has expired. Log in again.
error-auth-account_disabled = The account is disabled.
error-auth-role_required = This needs the role { $roles }; you are { $role }.
error-auth-role_not_for_cases = The { $role } role does not work on cases.
error-auth-login_required = Log in: send Authorization: Bearer with the token from POST /api/v1/auth/login.
error-auth-api_key_unknown = The API key is unknown or revoked.
error-auth-access_code_required = Send the access code from your receipt: Authorization: Bearer followed by the code.
error-auth-login_failed = Wrong username or password.
error-auth-code_wrong = The security code is not right or has been used.
error-auth-second_factor_required = This account signs in with a second factor: send the code to POST /api/v1/auth/code with this token, or with the login.
error-auth-second_factor_setup_required = This account must set up a second factor first: POST /api/v1/auth/second-factor.
error-second_factor-not_for_role = The { $role } role does not use a second factor.
error-second_factor-already_set_up = This account already has a second factor; an administrator can reset it.
error-second_factor-not_started = No second factor is being set up: start with POST /api/v1/auth/second-factor.
error-second_factor-not_signing_in = This session is not waiting for a code.
error-auth-credentials_required = Enter both the username and the password.

error-upload-multipart = The upload cannot be read: { $detail }
error-upload-body_too_large = The upload is too large: { $detail }
error-upload-unexpected_field = Unexpected field; send kind and file.
error-upload-unnamed_field = A part of the upload has no name; send kind and file.
error-upload-not_now = Documents can be added to a draft or when information is requested; this application is { $state }.
error-upload-too_large = The file is { $size } bytes; at most { $max } bytes are accepted.
error-upload-file_too_large = The file is too large for this document: at most { $max } bytes are accepted.
error-upload-empty = The file is empty.
error-upload-type_not_allowed = A file of type { $detected } is not accepted here. Accepted: { $allowed }.
error-upload-unrecognised_type = The file type is not recognised. Upload a JPEG, PNG or PDF.
error-upload-archive = Archives ({ $kind }) are not accepted. Upload each document separately.
error-upload-image_too_large = The image is { $width }×{ $height } pixels; at most { $max_pixels } pixels are accepted.
error-upload-bad_image = The image cannot be read: { $detail }
error-upload-bad_pdf = The PDF cannot be read: { $detail }
error-upload-active_pdf = The PDF contains active content ({ $what }). Print it to a plain PDF and upload that.
error-document-not_in_checklist = "{ $value }" is not in this card type's checklist: { $known }.

error-account-username_format = Use 3 to 64 letters, digits, dots, dashes or underscores.
error-account-role_unknown = Unknown role "{ $value }"; expected one of { $known }.
error-account-password_short = The password must be at least { $min } characters long.
error-account-language_unknown = Unknown language "{ $value }"; expected one of { $known }.
error-account-host_kind_for_hosts = Only hosts have a host kind.
error-account-api_key_for_hosts = API keys are for host accounts.
error-account-own_account = You cannot disable your own account.
error-host_kind-unknown = Unknown host kind "{ $value }"; expected one of { $known }.
error-policy-invalid = Line { $line }: { $detail }

error-arrival-not_assessable = The deadline cannot be worked out for this arrival: { $detail }
error-arrival-not_stored = The arrival could not be recorded. Try again.
error-arrival-deadline_passed = The deadline to notify this arrival has already passed ({ $deadline }). If the guest has arrived, notify the arrival now instead.
error-arrival-already_notified = This arrival was already notified on { $notified_at }.
error-arrival-not_arrived_yet = The planned arrival ({ $planned }) is still to come. Confirm it once the guest has arrived, or enter when they arrived.
error-arrival-status_unknown = Unknown status "{ $value }"; expected expected or notified.
error-csv-unreadable = Line { $line } cannot be read: { $detail }
error-csv-empty = The CSV is empty; its first line names the columns: { $columns }
error-csv-columns = Expected the columns { $columns }; got { $got }.
error-csv-column_count = Expected { $expected } columns, found { $found }.

error-state-unknown = Unknown status "{ $value }"; expected one of { $known }.
error-cursor-invalid = This is not a cursor from a previous page.

error-stay-syntax = "{ $input }" is not a stay: write ENTRY:EXIT, or ENTRY: for a stay that goes on, with dates as YYYY-MM-DD.
error-stay-bad_date = In the stay "{ $input }", "{ $value }" is not a valid date.
error-stay-exit_before_entry = Stay { $stay }: the exit { $exit } is before the entry { $entry }.
error-stay-entry_after_control = Stay { $stay }: the entry { $entry } is after the date of the check, { $on }.
error-stay-several_open = Stay { $stay }: only one stay may go on without an exit, but stay { $other } does too.
error-stay-open_not_latest = Stay { $stay }: a stay without an exit must be the latest, but stay { $later } enters later, on { $later_entry }.
error-stay-zero_days = Must be at least 1 day.
error-stay-limit_not_below_window = The limit of { $limit } days must be less than the window of { $window } days.
error-stay-until_before_on = The planned departure { $until } is before the date of the check, { $on }.
error-stay-out_of_range = From { $on }, the last legal day would fall after { $max }, beyond the supported dates.
error-stay-no_rule = The policy has no stay rule in force on { $on }.

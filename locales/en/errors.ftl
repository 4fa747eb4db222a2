# Problems with input, by stable code: message id `error-` + the code with `.` as `-`.
# Every message exists in kk, ru, en and zh with the same variables. Variables are plain
# text except $max, $line and $column, which are numbers (plural rules select on $max).

## General

error-field-required = This field is required.
error-field-too_long = Use at most { $max } { $max ->
        [one] character
       *[other] characters
    }.
error-body-invalid = The request could not be read: { $detail }
error-language-unknown = “{ $value }” is not a language tirkeu speaks; use kk, ru, en or zh.
error-action-unknown = “{ $value }” is not an action that can be taken here.

## Dates and times

error-date-invalid = “{ $value }” is not a date; expected a date like 2027-01-31.
error-date-not_past = The date must be in the past.
error-time-invalid = “{ $value }” is not a date and time; expected RFC 3339, like 2026-11-20T14:30:00+05:00.
error-time-future = The time cannot be in the future.

## The applicant

error-name-characters = The name contains invisible control characters; type it again.
error-passport-characters = Use only the Latin letters and the digits printed in the passport.
error-passport-expired = The passport expired on { $date }. Apply with a valid passport.
error-nationality-format = Enter the 3-letter country code from the passport, such as KAZ or DEU.
error-nationality-unknown = { $value } is not a known country code. Use the 3-letter code from the passport, such as KAZ or DEU.
error-sex-invalid = Enter M (male), F (female) or X (unspecified), as in the passport.
error-email-invalid = Enter an e-mail address like name@example.org.
error-phone-invalid = Enter the phone number in international format, starting with + and the country code, like +7 701 234 5678.
error-access_code-invalid = Enter the access code from your receipt: 26 letters and digits, like 7K2M-Q9XD-….

## The machine readable zone (MRZ) of a passport or ID card

error-mrz-shape = The zone should be 2 lines of 44 characters (passport), 2 lines of 36, or 3 lines of 30 (ID card); the lines given have { $lengths } characters. Copy every line in full.
error-mrz-character = Line { $line }, column { $column } holds “{ $char }”; a zone has only capital letters A–Z, digits and <.
error-mrz-document_code = The document code “{ $value }” should be a letter followed by a letter or <.
error-mrz-document_kind = In a { $format } zone the document code starts with { $expected }, not “{ $value }”.
error-mrz-visa = This is the zone of a visa (code “{ $value }”); enter the zone of the passport instead.
error-mrz-name_empty = The name in the zone does not start with a surname; check the copy.
error-mrz-name_digit = A name in the zone contains a digit; check the copy.
error-mrz-long_number = The check digit is <, but the optional data does not continue the document number; check the copy.
error-mrz-empty = This part of the zone is empty; check that the zone was copied in full.
error-mrz-check_digit = The check digit is { $printed }; it should be { $expected }. Look for a mistyped character in this part of the zone.
error-mrz-state_code = “{ $value }” is not a country code; it should be 3 letters, with < filling the end.
error-mrz-date = “{ $value }” is not a real date (YYMMDD); check the copy.
error-mrz-sex = The sex is “{ $value }”; it should be M, F, X or <.
error-mrz-incomplete = The zone could not be read in full; check the copy.

## Applications and decisions

error-permit_type-unknown = “{ $value }” is not a card type; choose one of: { $known }.
error-reason-required = Choose a reason: “{ $action }” needs one.
error-reason-not_for_action = The reason “{ $value }” cannot be given for “{ $action }”; choose another.
error-reason-unknown = “{ $value }” is not a reason for “{ $action }”; choose one of: { $known }.
error-validity-from_required = Enter the date the card is valid from.
error-validity-until_required = Enter the date the card is valid until.
error-validity-before_from = The end date { $until } is before the start date { $from }; correct one of them.
error-validity-too_long = A card of this type is valid for at most { $max } { $max ->
        [one] day
       *[other] days
    }.
error-collection-required = Enter the time and place to collect the card.
error-collection-place_empty = Enter the place where the card is collected.
error-document-missing = The document “{ $document }” is missing; upload it first.

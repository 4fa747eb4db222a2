# "Do I need a card?": the question page and its answer.

eligibility-title = Find out if you need a registration card
eligibility-lead = Answer a few questions about your stay in Kazakhstan. We count the days under the rule for your nationality and tell you whether you need a card, which one, and what to bring.
eligibility-nationality = Nationality
eligibility-nationality-hint = The 3-letter code printed in your passport, for example DEU
eligibility-purpose = Why are you staying?
eligibility-purpose-hint = Choose the card that matches the purpose of your stay.
eligibility-purpose-unsure = I am not sure
eligibility-stays = Your entries and exits
eligibility-stays-hint = Enter each time you entered Kazakhstan in the last 180 days, and when you left. Leave the exit blank for the stay you are on now. Leave rows you do not need blank.
eligibility-stay = Stay { $n }
eligibility-entry = Date of entry
eligibility-exit = Date of exit
eligibility-exit-hint = Leave blank if you are still in Kazakhstan.
eligibility-add-stay = Add another stay
eligibility-planned = When do you plan to leave?
eligibility-planned-hint = For example 27 3 2027. Leave blank if you do not know yet.
eligibility-submit = Check

eligibility-needed-title = You need a registration card
eligibility-not-needed-title = You do not need a registration card for this stay
eligibility-rule = Rule for your nationality
eligibility-days-used = Days used
eligibility-days-used-value = { $days } of { $limit } { $limit ->
        [one] day
       *[other] days
    } in any { $window } days
eligibility-days-left = Days left
eligibility-days-value = { $days } { $days ->
        [one] day
       *[other] days
    }
eligibility-last-day = Last day you may stay
eligibility-overstay = Days over the limit
eligibility-needed-long = You plan to stay longer than { $days } { $days ->
        [one] day
       *[other] days
    } in a row, and a stay that long needs a registration card.
eligibility-needed-rule = Your planned stay goes beyond what the rule for your nationality allows: without a card, the last day you may stay is { $date }.
eligibility-needed-over = You have already stayed longer than the rule for your nationality allows. Apply for a card or leave as soon as you can, and expect a fine for the days over.
eligibility-not-needed-why = The rule for your nationality covers your stay: you have { $days } { $days ->
        [one] day
       *[other] days
    } left, and you may stay until { $date }.
eligibility-arrival-hours = Whoever you stay with (a hotel, landlord, employer or university) must notify the migration police of your arrival within { $hours } { $hours ->
        [one] hour
       *[other] hours
    } of it, at every address.
eligibility-arrival-working-days = Whoever you stay with (a hotel, landlord, employer or university) must notify the migration police of your arrival within { $days } working { $days ->
        [one] day
       *[other] days
    } after the day you arrive, at every address.
eligibility-types = Cards that fit
eligibility-processing = A decision usually takes { $days } working { $days ->
        [one] day
       *[other] days
    }.
eligibility-checklist = What you will need
eligibility-apply = Apply for a card
eligibility-instead = What to do instead
eligibility-instead-text = Leave Kazakhstan by the last day shown above. If your plans change and you will stay longer, check again before then and apply for a card in time.
eligibility-arrival = Notifying your arrival
eligibility-again = Check again with other dates

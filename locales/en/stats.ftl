# The staff dashboard and the public statistics page (web/stats.rs, templates/stats/).
footer-statistics = Statistics
stats-dashboard-title = Dashboard
stats-dashboard-lead = The backlog, processing times against the targets of the policy, late arrival notifications and cards about to expire. Aggregates only: no case and no person can be read here.
stats-public-title = Statistics
stats-public-lead = Open figures on the registration of foreigners: applications waiting, how long decisions take, late arrival notifications and cards about to expire. Only totals are published, never anything about a person.
stats-generated = Figures as of { $time } (Almaty time).
stats-contents = On this page
stats-table-caption = { $chart }: the numbers of the chart
stats-csv = Download CSV: { $chart }
stats-public-link = The public statistics page
stats-list-separator = {"; "}
stats-desc-item = { $label }: { $value }

stats-backlog-by-state-title = Open applications by state
stats-backlog-by-state-column = Open applications
stats-backlog-by-type-title = Open applications by card type
stats-backlog-by-type-column = Open applications
stats-expiring-cards-title = Cards expiring in the next 30 days
stats-expiring-cards-column = Cards expiring
stats-expiring-cards-note = Issued cards whose last valid day is between { $from } and { $until }.

stats-processing-times-title = Processing times by card type (days)
stats-processing-times-note = Applications approved or refused in the last { $days } days, counted from submission to decision in calendar days. The target is the policy's, in working days.
stats-processing-desc-item = { $label }: half decided within { $p50 } days, 90% within { $p90 } days; target { $target } working days; { $on_time } of { $decided } decided on time
stats-processing-desc-none = { $label }: none decided
stats-bar-p50 = median { $days }
stats-bar-p90 = 90%: { $days }
stats-bar-none = none decided

stats-late-arrivals-title = Arrival notifications sent late, by month
stats-late-arrivals-note = All time: { $arrivals } arrival notifications, { $late } of them late ({ $share }%).
stats-late-desc-item = { $label }: { $late } of { $arrivals } late
stats-bar-late = { $share }% ({ $late } of { $arrivals })

stats-col-state = State
stats-col-type = Card type
stats-col-decided = Decided
stats-col-p50 = Median, days
stats-col-p90 = 90th percentile, days
stats-col-target = Target, working days
stats-col-on-time = Decided on time
stats-col-month = Month
stats-col-arrivals = Notifications
stats-col-late = Late
stats-col-late-share = Late, %

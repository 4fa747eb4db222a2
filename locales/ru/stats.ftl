# Панель сотрудников и открытая статистика (web/stats.rs, templates/stats/).
footer-statistics = Статистика
stats-dashboard-title = Панель показателей
stats-dashboard-lead = Очередь заявлений, сроки рассмотрения в сравнении с нормативами политики, уведомления о прибытии с опозданием и карточки, срок которых скоро истекает. Только сводные данные: ни одно дело и ни один человек здесь не видны.
stats-public-title = Статистика
stats-public-lead = Открытые данные о регистрации иностранцев: сколько заявлений ждут решения, как долго их рассматривают, сколько уведомлений о прибытии подано с опозданием и сколько карточек скоро истекает. Публикуются только итоги, никаких сведений о людях.
stats-generated = Данные на { $time } (время Алматы).
stats-contents = На этой странице
stats-table-caption = { $chart }: числа диаграммы
stats-csv = Скачать CSV: { $chart }
stats-public-link = Открытая страница статистики
stats-list-separator = {"; "}
stats-desc-item = { $label }: { $value }

stats-backlog-by-state-title = Заявления в работе по состоянию
stats-backlog-by-state-column = Заявлений в работе
stats-backlog-by-type-title = Заявления в работе по виду карточки
stats-backlog-by-type-column = Заявлений в работе
stats-expiring-cards-title = Карточки, срок которых истекает в ближайшие 30 дней
stats-expiring-cards-column = Истекает карточек
stats-expiring-cards-note = Выданные карточки, последний день действия которых — с { $from } по { $until }.

stats-processing-times-title = Сроки рассмотрения по видам карточек (дни)
stats-processing-times-note = Заявления, одобренные или отклонённые за { $days ->
    [one] последний { $days } день
    [few] последние { $days } дня
   *[many] последние { $days } дней
}; срок считается от подачи до решения в календарных днях. Норматив — из политики, в рабочих днях.
stats-processing-desc-item = { $label }: половина решена за { $p50 } дн., 90% — за { $p90 } дн.; норматив { $target } раб. дн.; в срок решено { $on_time } из { $decided }
stats-processing-desc-none = { $label }: решений нет
stats-bar-p50 = медиана { $days }
stats-bar-p90 = 90%: { $days }
stats-bar-none = решений нет

stats-late-arrivals-title = Уведомления о прибытии с опозданием, по месяцам
stats-late-arrivals-note = За всё время: уведомлений о прибытии — { $arrivals }, из них с опозданием — { $late } ({ $share }%).
stats-late-desc-item = { $label }: с опозданием { $late } из { $arrivals }
stats-bar-late = { $share }% ({ $late } из { $arrivals })

stats-col-state = Состояние
stats-col-type = Вид карточки
stats-col-decided = Решено
stats-col-p50 = Медиана, дней
stats-col-p90 = 90-й процентиль, дней
stats-col-target = Норматив, рабочих дней
stats-col-on-time = Решено в срок
stats-col-month = Месяц
stats-col-arrivals = Уведомлений
stats-col-late = С опозданием
stats-col-late-share = С опозданием, %

# Служебный раздел сотрудников: очереди, поиск, дело, действия и история.

queue-title = Очереди
queue-nav-label = Очереди
queue-new = Новые заявления
queue-mine = На рассмотрении у меня
queue-info_received = Получены сведения
queue-decision = Готовы к решению
queue-collection = Готовы к выдаче
queue-overdue = Просроченные
queue-count = { $count ->
        [one] { $count } дело
        [few] { $count } дела
       *[many] { $count } дел
    }
queue-count-over = Более { $count } дел
queue-tab-count-over = { $count }+
queue-empty = В этой очереди нет дел.
queue-no-more = Больше дел в этой очереди нет.
queue-first-page = Первая страница
queue-next-page = Следующая страница
queue-times = Время местное ({ $zone }).
queue-table-caption = Дела в этой очереди
queue-col-number = Номер
queue-col-type = Вид карточки
queue-col-nationality = Гражданство
queue-col-state = Статус
queue-col-submitted = Подано
queue-col-due = Срок
queue-col-assigned = Исполнитель
queue-overdue-tag = Просрочено

filter-type = Вид карточки
filter-office = Отдел
filter-any = Любой
filter-apply = Применить фильтры

search-label = Найти дело
search-hint = Номер заявления или номер паспорта, чтобы увидеть все заявления по этому паспорту.
search-button = Найти
search-results = Заявления по этому паспорту
search-required = Введите номер заявления или номер паспорта.
search-not-found = Заявления с таким номером или номером паспорта нет. Проверьте и попробуйте снова.

case-title = Заявление { $number }
case-back = Назад к очередям
case-back-to-case = Назад к делу
case-assign = Взять себе
case-section-case = Дело
case-section-applicant = Заявитель
case-section-contact = Контакты и адрес
case-section-stay = Пребывание в стране
case-section-documents = Документы
case-section-history = История
case-type = Вид карточки
case-office = Отдел
case-submitted = Подано
case-due = Срок
case-assigned = Исполнитель
case-reason = Причина
case-collection = Выдача
case-validity = Действует
case-card-number = Номер карточки
case-surname = Фамилия
case-given-names = Имя
case-passport = Номер паспорта
case-nationality = Гражданство
case-birth-date = Дата рождения
case-sex = Пол
case-passport-expiry = Паспорт действует до
case-email = Электронная почта
case-phone = Телефон
case-address = Адрес
case-arrival = Дата въезда в страну
case-days = { $count ->
        [one] { $count } день
        [few] { $count } дня
       *[many] { $count } дней
    }
case-stay-used = Дней в стране
case-stay-left = Осталось дней
case-stay-last = Последний законный день
case-stay-over = Предел уже превышен
case-stay-overstay = Превышение срока
case-stay-unknown = Срок пребывания не рассчитать: дата въезда неизвестна.
case-duplicates = Другие заявления с тем же паспортом:
case-doc-missing = Нет
case-doc-required = Обязательный
case-doc-optional = Если применимо
case-doc-uploaded = Загружен { $at }
case-doc-open = Открыть «{ $name }» (PDF, в новой вкладке)
case-stale-title = Пока вы работали, дело изменил кто-то другой
case-stale-text = Ничего из отправленного не сохранено. Вот дело в нынешнем виде; проверьте его, прежде чем действовать снова.
case-verify-title = Карточка выдана
case-verify-text = Ссылка для проверки карточки показывается только один раз. Она напечатана на карточке.
case-done-assign = Дело закреплено за вами.
case-done-start_review = Вы начали рассмотрение.
case-done-request_info = У заявителя запрошены сведения.
case-done-approve = Заявление одобрено.
case-done-reject = В заявлении отказано.
case-done-schedule_collection = Выдача назначена; заявителю сообщено, когда и где.
case-done-issue = Карточка выдана.
case-done-revoke = Карточка аннулирована.

case-action-start_review = Начать рассмотрение
case-action-request_info = Запросить сведения
case-action-approve = Одобрить
case-action-reject = Отказать
case-action-schedule_collection = Назначить выдачу
case-action-issue = Выдать карточку
case-action-revoke = Аннулировать карточку

action-title = { $action }: заявление { $number }
action-lead-start_review = Дело закрепляется за вами, заявителю сообщается о начале рассмотрения.
action-lead-request_info = Заявителю сообщается, чего не хватает; ответить он может со страницы своего заявления.
action-lead-approve = Заявителю сообщается об одобрении; затем можно назначить выдачу карточки.
action-lead-reject = Заявителю сообщается об отказе и его причине.
action-lead-schedule_collection = Заявителю сообщается, когда и где получить карточку.
action-lead-issue = Карточка выдаётся с этими сроками действия.
action-lead-revoke = Карточка сразу перестаёт действовать.
action-reason = Причина
action-reason-required = Выберите одну.
action-reason-optional = Необязательно.
action-valid-from = Действует с
action-valid-until = Действует до
action-date-hint = Например, 27 3 2027
action-valid-until-hint = Указан наибольший срок для этого вида карточки.
action-collection-at = Когда
action-collection-hint = День, месяц, год и время (ЧЧ:ММ), местное время.
action-collection-place = Где
action-continue = Продолжить
action-summary-action = Действие

confirm-title = Вы уверены? Заявление { $number }
confirm-lead-request_info = Проверьте запрос. Заявителю сообщат сразу.
confirm-lead-approve = Проверьте перед одобрением. Заявителю сообщат сразу.
confirm-lead-reject = Проверьте перед отказом. Заявителю сообщат сразу, отменить это нельзя.
confirm-lead-issue = Проверьте даты. Карточка будет выдана, изменить её потом нельзя.
confirm-lead-revoke = Проверьте перед аннулированием. Карточка сразу перестанет действовать, отменить это нельзя.
confirm-yes = Да: { $action }
confirm-no = Отмена

history-col-at = Когда
history-col-actor = Кто
history-col-what = Что произошло
history-actor-applicant = Заявитель
history-actor-system = Система tirkeu
history-other = Записано: { $action }
history-case-read = Просмотрел дело
history-document-read = Просмотрел документ
history-document-add = Загружен документ
history-application-create = Заявление начато
history-application-assign = Закреплено
history-application-submit = Подано
history-application-start_review = Начато рассмотрение
history-application-request_info = Запрошены сведения
history-application-respond = Сведения отправлены
history-application-approve = Одобрено
history-application-reject = Отказано
history-application-schedule_collection = Назначена выдача
history-application-issue = Карточка выдана
history-application-withdraw = Отозвано
history-application-abandon = Закрыто, не завершено
history-application-expire = Срок карточки истёк
history-application-revoke = Карточка аннулирована

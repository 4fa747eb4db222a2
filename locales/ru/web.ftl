# Каркас веб-интерфейса и публичные страницы.

site-name = tirkeu
site-tagline = Регистрация иностранцев
skip-to-content = Перейти к основному содержанию
language-switch = Язык
footer-text = tirkeu — открытое программное обеспечение для регистрации иностранцев и выдачи регистрационных карточек.
footer-api = API для разработчиков
error-prefix = Ошибка:
error-summary-title = Есть проблема
error-summary-item = { $label }: { $message }
back = Назад
continue = Продолжить
sign-out = Выйти
signed-in-as = Вы вошли как { $name }

home-title = Зарегистрируйте пребывание и получите регистрационную карточку
home-lead = Для иностранцев, находящихся в Казахстане, принимающих их лиц и организаций, а также сотрудников миграционной службы.
home-eligibility = Нужна ли мне карточка?
home-eligibility-text = Посчитайте дни пребывания, узнайте, нужна ли вам регистрационная карточка, какая подходит и какие документы понадобятся.
home-apply = Подать заявление
home-apply-text = Подайте заявление онлайн, загрузите документы и получите уведомление с номером заявления.
home-status = Проверить статус
home-status-text = Введите номер заявления и номер паспорта, чтобы узнать, на каком этапе ваше заявление.
home-continue = Продолжить или открыть своё заявление
home-renew = Продлить карточку
home-others = Принимающим сторонам и сотрудникам
home-hosts = Принимающим сторонам: уведомить о прибытии
home-staff = Вход для сотрудников

status-title = Проверка статуса заявления
status-lead = Введите номер заявления из уведомления и номер паспорта, с которым вы подавали заявление.
status-number = Номер заявления
status-number-hint = 16 букв и цифр, например XPVF-ZZDW-RWPB-VXX5
status-passport = Номер паспорта
status-passport-hint = Как указано в паспорте
status-submit = Проверить статус
status-not-found = Заявление с таким номером и номером паспорта не найдено. Проверьте оба и повторите.
status-result-title = Заявление { $number }
status-current = Статус
status-updated = Последнее изменение
status-next = Что дальше
status-again = Проверить другое заявление
status-manage = Управлять этим заявлением

state-draft = Черновик, ещё не подано
state-submitted = Принято
state-in_review = На рассмотрении
state-info_requested = Нужны дополнительные сведения
state-approved = Одобрено
state-rejected = Отказано
state-ready_for_collection = Карточка готова к выдаче
state-issued = Карточка выдана
state-withdrawn = Отозвано
state-abandoned = Закрыто, не завершено
state-expired = Срок карточки истёк
state-revoked = Карточка аннулирована

staff-title = Вход
staff-lead = Для сотрудников миграционной службы, руководителей, администраторов и принимающих сторон.
staff-username = Имя пользователя
staff-password = Пароль
staff-submit = Войти
staff-failed = Неверное имя пользователя или пароль, либо учётная запись отключена.
staff-nav-label = Рабочее место сотрудника
staff-nav-queues = Очереди
staff-nav-dashboard = Сводка
staff-nav-admin = Администрирование
staff-home-title = Добро пожаловать, { $name }
staff-home-lead = Вы вошли с ролью { $role }.
staff-home-next = Очередь дел и страницы для сотрудников ещё создаются; пока пользуйтесь API, описанным в /api/openapi.json.

not-found-title = Страница не найдена
not-found-text = Если вы вводили адрес вручную, проверьте его. Если вы перешли по ссылке, откройте начальную страницу.
not-found-home = На начальную страницу

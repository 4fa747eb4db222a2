# Страницы администратора: учётные записи, API-ключи, политика (web/admin.rs, templates/admin/).

admin-forbidden-title = Эта страница вам недоступна
admin-forbidden-text = Эта страница — для администраторов. У вашей учётной записи нет такой роли; если она нужна, обратитесь к администратору.
admin-forbidden-back = На вашу начальную страницу

admin-back = Назад к администрированию
admin-back-users = Назад к учётным записям

admin-role = Роль
admin-role-officer = Сотрудник миграционной службы
admin-role-officer-hint = Работает с очередью заявлений своего подразделения.
admin-role-supervisor = Руководитель
admin-role-supervisor-hint = Сотрудник, который также может одобрять и выдавать как второе лицо.
admin-role-admin = Администратор
admin-role-admin-hint = Управляет учётными записями, API-ключами и политикой.
admin-role-host = Принимающая сторона
admin-role-host-hint = Гостиница, арендодатель, работодатель или вуз, уведомляющие о прибытии.

admin-home-title = Администрирование
admin-home-lead = Управление учётными записями, которые входят в tirkeu, и политикой, по которой он работает.
admin-home-users-hint = Создание и отключение учётных записей, API-ключи для принимающих сторон.
admin-home-policy-hint = Действующие правила, загрузка файла политики и его замена.
admin-home-accounts = Учётные записи по ролям
admin-home-disabled = Отключённые учётные записи
admin-home-policy = Действующая политика

admin-users-title = Учётные записи
admin-users-caption = Все учётные записи
admin-office = Подразделение
admin-host-kind = Вид принимающей стороны
admin-created = Создана
admin-state = Состояние
admin-actions = Действия
admin-disabled = Отключена
admin-active = Действует
admin-you = Это вы
admin-enable = Включить
admin-disable = Отключить

admin-new-title = Создать учётную запись
admin-username-hint = От 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний.
admin-office-hint = Сотрудники и руководители видят дела своего подразделения. Необязательно.
admin-office-none = Без подразделения
admin-host-kind-hint = Только для принимающих сторон: от него зависят штрафы за опоздание с уведомлением. Если не выбран, берётся первый вид из политики.
admin-host-kind-none = Не принимающая сторона
admin-password-hint = Не меньше 12 символов. Оставьте поле пустым — пароль будет создан и показан вам один раз.
admin-email = Адрес электронной почты
admin-email-hint = Сюда приходят сообщения для этой учётной записи; принимающей стороне — напоминания о сроках уведомления о прибытии. Необязательно.
admin-language = Язык сообщений
admin-language-hint = Язык писем для этой учётной записи. Необязательно.
admin-language-none = Не указан
admin-new-submit = Создать учётную запись

admin-done-created = Учётная запись создана.
admin-done-disabled = Учётная запись отключена: её сеансы завершены, её API-ключи больше не действуют.
admin-done-enabled = Учётная запись снова включена.
admin-done-revoked = API-ключ отозван и больше не действует.
admin-done-replaced = Действует новая политика: { $id }, версия { $version }.

admin-user-title = Учётная запись { $name }
admin-own-account = Это ваша собственная учётная запись; отключить её здесь нельзя.
admin-disable-hint = Отключение завершает сеансы учётной записи и останавливает её API-ключи. Её можно снова включить.

admin-keys-title = API-ключи
admin-keys-lead = Программа принимающей стороны передаёт API-ключ, чтобы уведомлять о прибытии через API. Ключ показывается один раз при создании; хранится только его отпечаток.
admin-keys-none = У этой принимающей стороны пока нет API-ключей.
admin-key-label = Название
admin-key-label-hint = Укажите, где используется ключ, например «стойка регистрации» или название системы бронирования.
admin-key-revoked = Отозван { $at }
admin-key-new = Создать API-ключ
admin-key-submit = Создать ключ
admin-revoke = Отозвать

admin-once-password-title = Учётная запись создана
admin-once-key-title = API-ключ создан
admin-once-gone-title = Уже показано
admin-once-for = Для учётной записи { $name }
admin-once-password = Пароль
admin-once-key = API-ключ
admin-once-key-label = Название: { $label }
admin-once-warning = Скопируйте сейчас: больше он показан не будет. tirkeu хранит только его отпечаток, поэтому позже его никто не сможет узнать.
admin-once-password-use = Передайте его владельцу учётной записи надёжным способом; с ним он входит в систему.
admin-once-key-use = Программа принимающей стороны передаёт его с каждым запросом в этом заголовке:
admin-once-gone = Этот секрет был показан один раз и больше не показывается. Если он утерян, создайте новый (и отзовите старый ключ).
admin-once-back = Назад к учётной записи { $name }

admin-revoke-title = Отозвать API-ключ «{ $label }»?
admin-revoke-warning = Программы, использующие этот ключ, больше не смогут уведомлять о прибытии. Это действие нельзя отменить.
admin-revoke-submit = Да, отозвать ключ
admin-cancel = Отмена

admin-policy-title = Политика
admin-policy-name = Название
admin-policy-id = Идентификатор
admin-policy-version = Версия
admin-policy-source = Источник
admin-policy-source-default = Политика по умолчанию, встроенная в tirkeu (policy/kz.toml)
admin-policy-source-file = Файл политики, загруженный вместо встроенной
admin-policy-zone = Часовой пояс
admin-policy-download = Скачать файл политики (TOML)
admin-policy-rules = Сроки и пределы
admin-policy-deadline = Принимающая сторона уведомляет о прибытии в течение
admin-policy-card-after = Карточка нужна при пребывании дольше
admin-policy-host-kinds = Виды принимающих сторон
admin-policy-types = Виды карточек
admin-policy-processing = Срок рассмотрения
admin-policy-validity = Наибольший срок действия
admin-policy-fee = Сбор
admin-policy-documents = Документы
admin-policy-optional = необязательно
admin-policy-fines = Штрафы
admin-policy-offence = Нарушение
admin-policy-who = К кому применяется
admin-policy-amount = Размер
admin-policy-article = Статья
admin-policy-offence-late = Несвоевременное уведомление о прибытии
admin-policy-offence-overstay = Превышение срока пребывания
admin-policy-any-host = Любая принимающая сторона
admin-policy-any-overstay = Любое превышение
admin-policy-days-over-range = превышение от { $from } до { $to } дн.
admin-policy-days-over-from = { $count ->
    [one] превышение на { $count } день и более
    [few] превышение на { $count } дня и более
   *[other] превышение на { $count } дней и более
}
admin-policy-offices = Подразделения
admin-policy-address = Адрес
admin-policy-serves = Обслуживаемые места
admin-policy-office-default = Обслуживает все места, которые не обслуживает другое подразделение
admin-policy-hours = { $count ->
    [one] { $count } час
    [few] { $count } часа
   *[other] { $count } часов
}
admin-policy-working-days = { $count ->
    [one] { $count } рабочий день
    [few] { $count } рабочих дня
   *[other] { $count } рабочих дней
}
admin-policy-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[other] { $count } дней
}
admin-amount-kzt = { $amount } ₸
admin-amount-mci = { $mci } МРП
admin-amount-mci-today = { $mci } МРП (сегодня { $amount } ₸)

admin-policy-replace = Заменить политику
admin-policy-replace-lead = Скачайте файл выше, измените его и загрузите здесь или вставьте весь файл в поле. Сначала он проверяется: файл с любой ошибкой отклоняется, и действующая политика остаётся прежней.
admin-policy-file = Файл политики
admin-policy-file-hint = Файл TOML размером не более { $max } КиБ.
admin-policy-text = Или вставьте политику сюда
admin-policy-text-hint = Используется, если файл не выбран.
admin-policy-submit = Проверить и ввести в действие
admin-policy-refused = { $count ->
    [one] В политике { $count } ошибка, она указана ниже по строке и полю; политика не введена в действие.
    [few] В политике { $count } ошибки, они указаны ниже по строкам и полям; политика не введена в действие.
   *[other] В политике { $count } ошибок, они указаны ниже по строкам и полям; политика не введена в действие.
}
admin-policy-issues = Ошибки в файле политики
admin-policy-line = Строка
admin-policy-field = Поле
admin-policy-problem = Что не так
admin-policy-english = Проверка политики пока описывает ошибки только на английском языке.

error-account-role_required = Выберите роль учётной записи.
error-account-username_taken = Это имя пользователя уже занято; выберите другое.
error-office-unknown = Неизвестное подразделение «{ $value }»; ожидается одно из: { $known }.
error-office-required = Сотрудник с ролью { $role } работает с заявлениями одного подразделения: выберите подразделение.
error-policy-too_large = Файл политики больше { $max } КиБ.
error-policy-encoding = Файл не является текстом в UTF-8. Сохраните политику в UTF-8 и загрузите снова.
error-policy-missing = Выберите файл политики или вставьте политику в поле.
admin-role-office = Роль и подразделение
admin-amount-no-fee = Без сбора
admin-amount-warning = Предупреждение, без штрафа
admin-user-office = Подразделение: { $name }
admin-user-host-kind = Вид принимающей стороны: { $name }

# Сообщения, которые не удалось отправить (web/messages.rs, templates/admin/messages.html, resend.html).
admin-home-messages = Сообщения
admin-home-messages-hint = Письма, которые не удалось отправить, и их повторная отправка.
admin-messages-title = Сообщения
admin-messages-lead = tirkeu отправляет письма заявителям и принимающим сторонам из очереди. Сообщение, которое почтовый сервер отклонил или которое не удавалось отправить дольше, чем допускает политика, ждёт здесь, пока вы не отправите его снова. Сначала прочитайте ответ почтового сервера: повторная отправка поможет, только когда причина устранена.
admin-messages-pending = Ожидают отправки
admin-messages-failed = Не отправлены
admin-messages-failed-title = Сообщения, которые не удалось отправить
admin-messages-caption = Сообщения, которые не удалось отправить, сначала последние
admin-messages-none = Неотправленных сообщений нет.
admin-messages-no-more = Больше неотправленных сообщений нет.
admin-messages-id = Сообщение
admin-messages-kind = Что это
admin-messages-case = Заявление
admin-messages-no-case = Не относится к заявлению
admin-messages-attempts = Попытки
admin-messages-failed-at = Не отправлено
admin-messages-error = Ответ почтового сервера
admin-messages-no-error = Ответ не записан.
admin-messages-resend = Отправить снова
admin-messages-resend-which = сообщение { $id }
admin-messages-older = Более ранние неотправленные сообщения
admin-messages-back = Назад к сообщениям
admin-resend-title = Отправить сообщение { $id } снова?
admin-resend-text = Сообщение вернётся в очередь и будет отправлено сразу, с новым запасом повторных попыток. Если отправить его снова не удастся, оно вернётся в этот список.
admin-resend-submit = Да, отправить снова
admin-done-resent = Сообщение возвращено в очередь и скоро будет отправлено снова.

admin-kind-notice-receipt = Заявление принято (уведомление о приёме)
admin-kind-notice-review_started = Начато рассмотрение
admin-kind-notice-info_requested = Запрошены дополнительные сведения
admin-kind-notice-approved = Заявление одобрено
admin-kind-notice-rejected = В заявлении отказано
admin-kind-notice-ready_for_collection = Карточка готова к выдаче
admin-kind-notice-issued = Карточка выдана
admin-kind-notice-withdrawn = Заявление отозвано
admin-kind-notice-abandoned = Заявление закрыто, не завершено
admin-kind-notice-expired = Срок карточки истёк
admin-kind-notice-revoked = Карточка аннулирована
admin-kind-reminder-expiry = Напоминание: срок карточки скоро истекает
admin-kind-host-deadline_approaching = Принимающей стороне: скоро срок уведомления о прибытии
admin-kind-host-deadline_missed = Принимающей стороне: уведомление о прибытии просрочено

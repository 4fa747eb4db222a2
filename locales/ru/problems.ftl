# Документы об ошибках API: заголовки по видам и сообщения, не относящиеся к данным человека
# (те — в errors.ftl).

title-validation = Неверный запрос
title-bad-request = Некорректный запрос
title-not-found = Не найдено
title-unauthorized = Требуется вход
title-forbidden = Доступ запрещён
title-conflict = Конфликт
title-stale-version = Дело изменилось
title-version-required = Требуется версия
title-rate-limited = Слишком много запросов
title-too-large = Слишком большой объём
title-unsupported-media-type = Неподдерживаемый тип данных
title-unavailable = Сервис недоступен
title-request-timeout = Время запроса истекло
title-method-not-allowed = Метод не разрешён
title-internal = Внутренняя ошибка

error-request-invalid = Некоторые поля заполнены неверно; см. список.
error-request-not_found = По этому запросу ничего не найдено.
error-request-rate_limited = Слишком много попыток. Повторите через { $seconds } { $seconds ->
    [one] секунду
    [few] секунды
   *[many] секунд
}.
error-request-method_not_allowed = Этот адрес не принимает такой метод; см. /api/openapi.json.
error-request-internal = На нашей стороне произошла ошибка. Она записана под номером { $id }.
error-request-not_ready = Сервис сейчас не может связаться с базой данных.
error-request-taken = { $what } уже занято.
error-request-body_timeout = Содержимое запроса не пришло за { $seconds } { $seconds ->
    [one] секунду
    [few] секунды
   *[many] секунд
}. Проверьте соединение и отправьте ещё раз.
error-request-timed_out = Ответ на запрос занял слишком много времени. Повторите чуть позже.
error-request-overloaded = Сервис сейчас перегружен. Повторите чуть позже.

error-application-duplicate = Открытое заявление по этому паспорту и типу карточки уже есть. Продолжите его по номеру и коду доступа.
error-application-changed_meanwhile = Заявление тем временем изменилось. Обновите страницу и повторите.
error-receipt-not_yet = Уведомление о приёме появляется после подачи заявления.

error-case-stale_version = Дело изменил другой сотрудник; теперь его версия { $current }. Обновите его и повторите.
error-case-illegal_transition = Действие { $action } невозможно для заявления в статусе { $state }.
error-case-role_may_not = Роль { $role } не может выполнять действие { $action }; оно для: { $allowed }.
error-case-second_person_required = Действие { $action } выполняет второй сотрудник: { $needs ->
    [supervisor] руководитель, который не рассматривал заявление
   *[other] не тот, кто рассматривает заявление
 }.
error-case-if_match_required = Передайте If-Match с ETag дела (его версией) из GET /api/v1/cases/{"{"}number{"}"}.
error-case-if_match_invalid = If-Match должен быть ETag дела, например "3".

error-body-not_json = Тело запроса — не корректный JSON: { $detail }
error-body-json_content_type = Передайте тело в JSON с Content-Type: application/json.
error-body-too_large = Тело запроса слишком велико.
error-body-unreadable = Тело запроса не читается: { $detail }
error-request-unreadable = Запрос не читается: { $detail }

error-auth-session_expired = Сеанс неизвестен или истёк. Войдите снова.
error-auth-account_disabled = Учётная запись отключена.
error-auth-role_required = Нужна роль { $roles }; ваша роль — { $role }.
error-auth-role_not_for_cases = Роль { $role } не работает с делами.
error-auth-login_required = Войдите: передайте Authorization: Bearer с токеном из POST /api/v1/auth/login.
error-auth-api_key_unknown = API-ключ неизвестен или отозван.
error-auth-access_code_required = Передайте код доступа из уведомления: Authorization: Bearer и код.
error-auth-login_failed = Неверное имя пользователя или пароль.
error-auth-code_wrong = Код подтверждения неверен или уже использован.
error-auth-second_factor_required = Эта учётная запись входит со вторым фактором: отправьте код на POST /api/v1/auth/code с этим токеном или вместе со входом.
error-auth-second_factor_setup_required = Сначала настройте второй фактор для этой учётной записи: POST /api/v1/auth/second-factor.
error-second_factor-not_for_role = Роль { $role } не использует второй фактор.
error-second_factor-already_set_up = У этой учётной записи уже есть второй фактор; сбросить его может администратор.
error-second_factor-not_started = Второй фактор не настраивается: начните с POST /api/v1/auth/second-factor.
error-second_factor-not_signing_in = Этот сеанс не ожидает кода.
error-auth-credentials_required = Введите имя пользователя и пароль.

error-upload-multipart = Загрузку не удалось прочитать: { $detail }
error-upload-body_too_large = Загрузка слишком велика: { $detail }
error-upload-unexpected_field = Неожиданное поле; передайте kind и file.
error-upload-unnamed_field = У части загрузки нет имени; передайте kind и file.
error-upload-not_now = Документы можно добавлять в черновик или по запросу сведений; статус заявления — { $state }.
error-upload-too_large = Размер файла { $size } байт; принимается не более { $max } байт.
error-upload-file_too_large = Файл слишком велик для этого документа: принимается не более { $max } байт.
error-upload-empty = Файл пуст.
error-upload-type_not_allowed = Файл типа { $detected } здесь не принимается. Допустимо: { $allowed }.
error-upload-unrecognised_type = Тип файла не распознан. Загрузите JPEG, PNG или PDF.
error-upload-archive = Архивы ({ $kind }) не принимаются. Загрузите каждый документ отдельно.
error-upload-image_too_large = Изображение { $width }×{ $height } пикселей; принимается не более { $max_pixels } пикселей.
error-upload-bad_image = Изображение не читается: { $detail }
error-upload-bad_pdf = PDF не читается: { $detail }
error-upload-active_pdf = PDF содержит активное содержимое ({ $what }). Распечатайте его в обычный PDF и загрузите его.
error-document-not_in_checklist = «{ $value }» нет в перечне документов для этого типа карточки: { $known }.

error-account-username_format = Используйте от 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний.
error-account-role_unknown = Неизвестная роль «{ $value }»; ожидается одна из: { $known }.
error-account-password_short = Пароль должен содержать не менее { $min } { $min ->
    [one] символа
   *[other] символов
}.
error-account-language_unknown = Неизвестный язык «{ $value }»; допустимы: { $known }.
error-account-host_kind_for_hosts = Вид принимающей стороны бывает только у принимающих сторон.
error-account-api_key_for_hosts = API-ключи выдаются только принимающим сторонам.
error-account-own_account = Нельзя отключить собственную учётную запись.
error-host_kind-unknown = Неизвестный вид принимающей стороны «{ $value }»; ожидается один из: { $known }.
error-policy-invalid = Строка { $line }: { $detail }

error-arrival-not_assessable = Для этого прибытия не удаётся рассчитать срок: { $detail }
error-arrival-not_stored = Не удалось записать уведомление о прибытии. Повторите попытку.
error-arrival-deadline_passed = Срок уведомления об этом прибытии уже истёк ({ $deadline }). Если гость прибыл, подайте уведомление о прибытии сейчас.
error-arrival-already_notified = Об этом прибытии уже уведомлено { $notified_at }.
error-arrival-not_arrived_yet = Запланированное прибытие ({ $planned }) ещё не наступило. Подтвердите его, когда гость прибудет, или укажите, когда он прибыл.
error-arrival-status_unknown = Неизвестное состояние «{ $value }»; допустимо expected или notified.
error-csv-unreadable = Строку { $line } не удалось прочитать: { $detail }
error-csv-empty = CSV пуст; первая строка должна перечислять столбцы: { $columns }
error-csv-columns = Ожидались столбцы { $columns }; получено { $got }.
error-csv-column_count = Ожидалось столбцов: { $expected }, найдено: { $found }.

error-state-unknown = Неизвестный статус «{ $value }»; ожидается один из: { $known }.
error-cursor-invalid = Это не курсор с предыдущей страницы.

error-stay-syntax = «{ $input }» — не период пребывания: укажите ВЪЕЗД:ВЫЕЗД или ВЪЕЗД: для продолжающегося пребывания, даты в виде ГГГГ-ММ-ДД.
error-stay-bad_date = В периоде «{ $input }» значение «{ $value }» — не корректная дата.
error-stay-exit_before_entry = Пребывание { $stay }: выезд { $exit } раньше въезда { $entry }.
error-stay-entry_after_control = Пребывание { $stay }: въезд { $entry } позже даты проверки { $on }.
error-stay-several_open = Пребывание { $stay }: без даты выезда может быть только одно пребывание, но пребывание { $other } тоже без неё.
error-stay-open_not_latest = Пребывание { $stay }: пребывание без даты выезда должно быть последним, но пребывание { $later } начинается позже, { $later_entry }.
error-stay-zero_days = Должно быть не меньше 1 дня.
error-stay-limit_not_below_window = Лимит { $limit } дн. должен быть меньше окна { $window } дн.
error-stay-until_before_on = Планируемый выезд { $until } раньше даты проверки { $on }.
error-stay-out_of_range = С { $on } последний законный день выпадает после { $max }, за пределами поддерживаемых дат.
error-stay-no_rule = В правилах нет нормы пребывания, действующей на { $on }.

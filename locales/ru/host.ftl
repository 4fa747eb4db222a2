# Кабинет принимающей стороны: уведомления о прибытии, форма одного уведомления,
# подтверждение и загрузка CSV-файла с гостями.

host-title = Ваши уведомления о прибытии
host-lead = Уведомляйте миграционную полицию о каждом иностранном госте в установленный срок после его прибытия. Ниже — отправленные вами уведомления, новые сверху.
host-notify = Уведомить о прибытии
host-upload = Загрузить CSV-файл с гостями
host-list-empty = Вы ещё не отправили ни одного уведомления.
host-list-no-older = Более ранних уведомлений нет.
host-newest = Последние уведомления
host-older = Более ранние уведомления
host-times = Время указано местное ({ $zone }).
host-table-caption = Ваши уведомления
host-col-guest = Гость
host-col-arrived = Прибытие
host-col-deadline = Срок
host-col-status = Уведомление
host-col-fine = Штраф
host-late = С опозданием
host-on-time = В срок
host-fine-amount = { $amount } тенге
host-fine-warning = Предупреждение, без штрафа

host-new-title = Уведомить о прибытии
host-new-lead = Укажите, кто прибыл, когда и где остановился. Срок уведомления и возможный штраф рассчитываются автоматически.
host-back = Назад
host-guest = Гость
host-mrz = Машиночитаемая зона паспорта
host-mrz-hint = Если у вас есть считыватель паспортов, вставьте две строки внизу страницы с фотографией (у удостоверения личности — три). Иначе оставьте поле пустым и заполните поля ниже.
host-or-typed = Или введите данные так, как они напечатаны в паспорте
host-surname = Фамилия
host-given-names = Имя
host-given-names-hint = Оставьте пустым, если в паспорте имени нет
host-passport-number = Номер паспорта
host-nationality = Гражданство
host-nationality-hint = Трёхбуквенный код из паспорта, например CHN, DEU или KOR
host-birth-date = Дата рождения
host-passport-expiry = Паспорт действителен до
host-date-hint = Например, 27 3 1990
host-day = День
host-month = Месяц
host-year = Год
host-time = Время
host-sex = Пол
host-sex-female = Женский
host-sex-male = Мужской
host-sex-unspecified = Не указан (X)
host-stay = Прибытие и адрес
host-arrived = Дата и время прибытия
host-arrived-hint = По местному времени, например 20 11 2026 и 14:30. Для ожидаемого гостя — когда он планирует прибыть.
host-city = Город или населённый пункт
host-address-line = Улица, дом, квартира или номер
host-submit = Отправить
host-error-date = Введите существующую дату: день, месяц и год цифрами, например 27 3 1990.
host-error-arrival = Введите существующую дату (день, месяц и год) и время в часах и минутах, например 14:30.
host-required-guest-surname = Введите фамилию гостя
host-required-guest-passport_number = Введите номер паспорта
host-required-guest-nationality = Введите гражданство
host-required-guest-birth_date = Введите дату рождения
host-required-guest-sex = Выберите пол, указанный в паспорте
host-required-guest-passport_expiry = Введите срок действия паспорта
host-required-arrived_at = Введите дату и время прибытия
host-required-address-city = Введите город или населённый пункт
host-required-address-line = Введите улицу, дом, квартиру или номер
host-required-file = Выберите CSV-файл для загрузки

# Ожидаемые гости: записываются до прибытия, подтверждаются, когда гость приехал.
host-intent = Гость уже прибыл?
host-intent-now = Да: уведомить о прибытии сейчас
host-intent-now-hint = Уведомление будет отправлено при отправке этой формы.
host-intent-expected = Ещё нет: записать гостя как ожидаемого
host-intent-expected-hint = Укажите, когда гость планирует прибыть. Уведомление не подаётся, пока вы не подтвердите прибытие; если срок истечёт раньше, уведомление будет просрочено.
host-expected-heading = Ожидаемые гости
host-expected-lead = Гости, которых вы записали как ожидаемых; сверху — с ближайшим сроком. Подтвердите прибытие каждого, когда он приедет: до этого уведомление не подано.
host-expected-caption = Ваши ожидаемые гости
host-notified-heading = Отправленные уведомления
host-col-planned = Ожидаемое прибытие
host-col-state = Состояние
host-col-action = Действие
host-expected = Ожидается
host-deadline-missed = Срок пропущен
host-confirm = Подтвердить прибытие
host-expected-title = Ожидаемый гость: { $number }
host-expected-heading-one = Гость записан как ожидаемый
host-expected-text = Уведомление ещё не подано. Когда гость прибудет, подтвердите прибытие ниже: уведомление будет подано в этот момент.
host-missed-text = Срок истёк { $deadline }, а прибытие не было подтверждено, поэтому уведомление просрочено. Подтвердите прибытие, как только гость будет у вас.
host-confirm-heading = Подтвердить прибытие
host-confirm-arrived = Когда прибыл гость?
host-confirm-arrived-hint = По местному времени, например 20 11 2026 и 14:30. Измените, если гость прибыл не в запланированное время.
host-confirm-submit = Подтвердить прибытие и уведомить

host-confirmation-title = Уведомление принято: { $number }
host-confirmation-heading = Уведомление о прибытии принято
host-confirmation-number = Номер подтверждения
host-late-text = Уведомление подано с опозданием: срок истёк { $deadline }.
host-notified-at = Уведомление подано
host-deadline = Срок уведомления
host-in-time = Подано в срок?
host-fine = Штраф за несвоевременное уведомление
host-address = Адрес
host-print-hint = Сохраните эту страницу как подтверждение: распечатайте её или сохраните в PDF командой «Печать» в браузере.
host-back-to-list = К вашим уведомлениям
host-notify-another = Уведомить о другом прибытии

host-import-title = Загрузить CSV-файл с гостями
host-import-lead = Уведомьте сразу о многих прибытиях: загрузите CSV-файл (UTF-8), по одному гостю в строке. Правильные строки будут записаны, а строки с ошибками — перечислены, чтобы вы могли их исправить.
host-import-columns = В первой строке должны быть названия этих столбцов в таком порядке:
host-import-example = Пример строки:
host-import-formats = Даты — в виде ГГГГ-ММ-ДД; прибытие — дата, время и смещение часового пояса, например 2026-11-20T14:30:00+05:00; пол — M, F или X; гражданство — трёхбуквенный код.
host-import-file = CSV-файл
host-import-submit = Загрузить
host-report-title = Результат загрузки
host-report-accepted = { $count ->
    [one] Записано { $count } прибытие.
    [few] Записано { $count } прибытия.
   *[many] Записано { $count } прибытий.
}
host-report-late = Из них с опозданием: { $count }.
host-report-all-good = Все строки приняты.
host-report-refused = { $count ->
    [one] Отклонена { $count } строка
    [few] Отклонены { $count } строки
   *[many] Отклонено { $count } строк
}
host-report-refused-lead = По этим строкам ничего не записано. Исправьте их и загрузите файл только с этими гостями: остальные строки уже записаны, и повторная загрузка отправит уведомления о них дважды.
host-col-line = Строка
host-col-column = Столбец
host-col-problem = Ошибка
host-upload-another = Загрузить другой файл

error-csv-encoding = Файл не в кодировке UTF-8. Сохраните его как «CSV UTF-8» и загрузите снова.

# Общие слова форм заявителя: три поля даты и нужен ли документ.

date-day = День
date-month = Месяц
date-year = Год
document-required = Обязательно
document-optional = Если применимо

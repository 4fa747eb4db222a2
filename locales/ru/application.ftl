# «Моё заявление»: открыть своё заявление по номеру и коду доступа и что с ним можно сделать.

application-open-title = Продолжить заявление или управлять им
application-open-lead = Введите номер заявления и код доступа из уведомления. Это можно сделать с любого устройства.
application-code = Код доступа
application-code-hint = 26 букв и цифр, как в уведомлении
application-open-submit = Открыть моё заявление
application-status-only = Нужно только узнать статус? Используйте номер паспорта
application-not-found = Нет заявления с таким номером и кодом доступа. Проверьте оба и попробуйте снова.

application-title = Заявление { $number }
application-office = Миграционное подразделение
application-continue-draft = Продолжить заполнение
application-requested = Сотрудник просит дополнительные сведения
application-requested-text = Загрузите запрошенные документы и отправьте ответ. После отправки заявление вернётся к сотруднику.
application-respond-heading = Когда всё загружено
application-respond = Отправить ответ
application-withdraw = Отозвать заявление
application-forget = Закрыть на этом устройстве

application-withdraw-title = Отозвать заявление?
application-withdraw-text = Заявление { $number } будет отозвано, решение по нему принято не будет.
application-withdraw-warning = Это нельзя отменить. Чтобы получить карточку позже, придётся подать заявление заново.
application-withdraw-submit = Да, отозвать
application-withdraw-cancel = Нет, оставить заявление

# Өтініш берушінің формаларына ортақ сөздер: күннің үш өрісі және құжаттың қажеттілігі.

date-day = Күні
date-month = Айы
date-year = Жылы
document-required = Міндетті
document-optional = Қажет болса

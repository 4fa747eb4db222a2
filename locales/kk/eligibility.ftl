# «Маған карточка керек пе?»: сұрақтар беті және жауап.

eligibility-title = Тіркеу карточкасы керек пе, анықтаңыз
eligibility-lead = Қазақстанда болуыңыз туралы бірнеше сұраққа жауап беріңіз. Азаматтығыңызға арналған ереже бойынша күндерді санап, карточка керек пе, қайсысы және не дайындау керектігін айтамыз.
eligibility-nationality = Азаматтығы
eligibility-nationality-hint = Паспорттағы үш әріпті код, мысалы DEU
eligibility-purpose = Болу мақсаты
eligibility-purpose-hint = Болу мақсатыңызға сәйкес карточканы таңдаңыз.
eligibility-purpose-unsure = Білмеймін
eligibility-stays = Кіру және шығу күндеріңіз
eligibility-stays-hint = Соңғы 180 күнде Қазақстанға әр кірген күніңізді және шыққан күніңізді көрсетіңіз. Қазіргі болуыңыз үшін шығу күнін бос қалдырыңыз. Артық жолдарды бос қалдырыңыз.
eligibility-stay = { $n }-болу
eligibility-entry = Кірген күні
eligibility-exit = Шыққан күні
eligibility-exit-hint = Әлі Қазақстанда болсаңыз, бос қалдырыңыз.
eligibility-add-stay = Тағы бір болуды қосу
eligibility-planned = Қашан кетуді жоспарлайсыз?
eligibility-planned-hint = Мысалы, 27 3 2027. Әлі білмесеңіз, бос қалдырыңыз.
eligibility-submit = Тексеру

eligibility-needed-title = Сізге тіркеу карточкасы керек
eligibility-not-needed-title = Бұл болу үшін тіркеу карточкасы керек емес
eligibility-rule = Азаматтығыңызға арналған ереже
eligibility-days-used = Пайдаланылған күндер
eligibility-days-used-value = { $limit } күннің { $days } күні (кез келген { $window } күн ішінде)
eligibility-days-left = Қалған күндер
eligibility-days-value = { $days } { $days ->
        [one] күн
       *[other] күн
    }
eligibility-last-day = Заңды болудың соңғы күні
eligibility-overstay = Шектен асқан күндер
eligibility-needed-long = Сіз қатарынан { $days } { $days ->
        [one] күннен
       *[other] күннен
    } артық болуды жоспарлайсыз, мұндай болу үшін тіркеу карточкасы керек.
eligibility-needed-rule = Жоспарланған болуыңыз азаматтығыңызға арналған ережеден асады: карточкасыз болудың соңғы күні — { $date }.
eligibility-needed-over = Сіз азаматтығыңызға арналған ереже рұқсат еткеннен ұзақ болдыңыз. Карточкаға өтініш беріңіз немесе мүмкіндігінше тез кетіңіз; шектен асқан күндер үшін айыппұл салынуы мүмкін.
eligibility-not-needed-why = Болуыңыз азаматтығыңызға арналған ережеге сәйкес: сізде { $days } { $days ->
        [one] күн
       *[other] күн
    } қалды, елде { $date } дейін болуға болады.
eligibility-arrival-hours = Сізді қабылдаушы тарап (қонақүй, жалға беруші, жұмыс беруші немесе оқу орны) келгеніңіз туралы көші-қон полициясына { $hours } { $hours ->
        [one] сағат
       *[other] сағат
    } ішінде әр мекенжай бойынша хабарлауы тиіс.
eligibility-arrival-working-days = Сізді қабылдаушы тарап (қонақүй, жалға беруші, жұмыс беруші немесе оқу орны) келгеніңіз туралы көші-қон полициясына келген күннен кейін { $days } { $days ->
        [one] жұмыс күні
       *[other] жұмыс күні
    } ішінде әр мекенжай бойынша хабарлауы тиіс.
eligibility-types = Сәйкес карточкалар
eligibility-processing = Шешім әдетте { $days } { $days ->
        [one] жұмыс күнінде
       *[other] жұмыс күнінде
    } қабылданады.
eligibility-checklist = Не керек болады
eligibility-apply = Өтініш беру
eligibility-instead = Оның орнына не істеу керек
eligibility-instead-text = Қазақстаннан жоғарыда көрсетілген соңғы күннен кешіктірмей шығыңыз. Жоспарыңыз өзгеріп, ұзағырақ қалатын болсаңыз, сол күнге дейін қайта тексеріп, карточкаға уақтылы өтініш беріңіз.
eligibility-arrival = Келгені туралы хабарлама
eligibility-again = Басқа күндермен қайта тексеру

# Өтініштің қабылданғаны туралы хабарлама: PDF және басып шығаруға арналған бет.

receipt-title = Өтініштің қабылданғаны туралы хабарлама
receipt-number = Өтініш нөмірі
receipt-access-code = Кіру коды
receipt-keep-secret = Бұл кодты құпия сақтаңыз және ешкімге бермеңіз. Ол тек бір рет көрсетіледі. Өтініш бойынша кейінгі әрекеттер үшін ол өтініш нөмірімен бірге қажет болады.
receipt-code-not-shown = Кіру коды өтініш берілген кезде бір-ақ рет көрсетіледі, сондықтан бұл көшірмеде жоқ.
receipt-applicant = Өтініш беруші
receipt-permit-type = Карта түрі
receipt-submitted-on = Берілген күні
receipt-office = Бөлімше
receipt-processing-time = Болжамды қарау мерзімі
receipt-processing-time-value = шамамен { $days } жұмыс күні
receipt-documents = Тапсырылған құжаттар
receipt-next-steps = Келесі қадамдар
receipt-scan-qr = Өтініш мәртебесін тексеру үшін QR-кодты сканерлеңіз
receipt-footer = Берген: tirkeu · Жасалған уақыты: { $generated }
receipt-print-hint = Басып шығару немесе PDF ретінде сақтау үшін браузердің «Басып шығару» командасын пайдаланыңыз.
receipt-page = Бет { $page }/{ $pages }

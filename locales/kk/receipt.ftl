# Өтініштің қабылданғаны туралы хабарлама: PDF және басып шығаруға арналған бет.

receipt-title = Өтініштің қабылданғаны туралы хабарлама
receipt-number = Өтініш нөмірі
receipt-access-code = Кіру коды
receipt-keep-secret = Бұл кодты құпия сақтаңыз және ешкімге бермеңіз. Өтініш бойынша кейінгі барлық әрекеттер үшін ол өтініш нөмірімен бірге қажет. tirkeu кодтың өзін емес, тек оның хешін сақтайды, сондықтан оны жоғалтсаңыз, қайта көрсете алмайды.
receipt-code-not-shown = Бұл көшірмеде кіру коды көрсетілмеген. Оны өтінішті жасаған кезде алдыңыз; tirkeu кодтың тек хешін сақтайды, сондықтан оны қайта көрсете алмайды.
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

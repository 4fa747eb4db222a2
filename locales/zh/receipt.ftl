# 申请受理回执：PDF 和可打印的网页。

receipt-title = 申请受理回执
receipt-number = 申请编号
receipt-access-code = 访问码
receipt-keep-secret = 请妥善保管此访问码，切勿告知他人。此码仅显示一次；日后办理与本申请有关的事项时，须与申请编号一起使用。
receipt-code-not-shown = 访问码仅在提交申请时显示一次，因此本副本中不含访问码。
receipt-applicant = 申请人
receipt-permit-type = 证件类型
receipt-submitted-on = 提交日期
receipt-office = 受理机构
receipt-processing-time = 预计办理时间
receipt-processing-time-value = 约 { $days } 个工作日
receipt-documents = 已提交材料
receipt-next-steps = 后续步骤
receipt-scan-qr = 扫描二维码查询申请状态
receipt-footer = 由 tirkeu 签发 · 生成时间：{ $generated }
receipt-print-hint = 如需打印或另存为 PDF，请使用浏览器的“打印”功能。
receipt-page = 第 { $page } 页，共 { $pages } 页

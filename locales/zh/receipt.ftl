# 申请受理回执：PDF 和可打印的网页。

receipt-title = 申请受理回执
receipt-number = 申请编号
receipt-access-code = 访问码
receipt-keep-secret = 请妥善保管此访问码，切勿告知他人。今后办理与本申请有关的任何事项，都须同时提供此访问码和申请编号。tirkeu 只保存访问码的指纹（哈希值），如果遗失，无法再次向您显示。
receipt-code-not-shown = 本副本不显示访问码。您在创建申请时已获得访问码；tirkeu 只保存其指纹（哈希值），无法再次向您显示。
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

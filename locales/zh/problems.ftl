# API 错误文档：按类型的标题，以及与个人资料无关的消息（个人资料相关的在 errors.ftl 中）。

title-validation = 请求无效
title-bad-request = 错误的请求
title-not-found = 未找到
title-unauthorized = 需要登录
title-forbidden = 禁止访问
title-conflict = 冲突
title-stale-version = 案件已被更改
title-version-required = 需要版本
title-rate-limited = 请求过多
title-too-large = 内容过大
title-unsupported-media-type = 不支持的数据类型
title-unavailable = 服务不可用
title-request-timeout = 请求超时
title-method-not-allowed = 不允许的方法
title-internal = 内部错误

error-request-invalid = 部分字段填写有误，请查看列表。
error-request-not_found = 未找到与此请求相关的内容。
error-request-rate_limited = 尝试次数过多。请在 { $seconds } 秒后重试。
error-request-method_not_allowed = 此地址不接受该方法；请参阅 /api/openapi.json。
error-request-internal = 我方出现错误，已记录，编号为 { $id }。
error-request-not_ready = 服务目前无法连接数据库。
error-request-taken = { $what } 已被占用。
error-request-body_timeout = 请求内容未在 { $seconds } 秒内传完。请检查网络连接后重新发送。
error-request-timed_out = 处理请求用时过长。请稍后重试。
error-request-overloaded = 服务繁忙。请稍后重试。

error-application-duplicate = 此护照和此证件类型已有未结申请。请使用其申请编号和访问码继续办理。
error-application-changed_meanwhile = 申请在此期间已被更改。请刷新后重试。
error-receipt-not_yet = 申请提交后才会生成受理回执。

error-case-stale_version = 其他人已更改此案件，当前版本为 { $current }。请刷新后重试。
error-case-illegal_transition = 状态为 { $state } 的申请不能执行 { $action }。
error-case-role_may_not = { $role } 角色不能执行 { $action }；该操作仅限：{ $allowed }。
error-case-second_person_required = { $action }须由第二人执行：{ $needs ->
    [supervisor] 未审查该申请的主管
   *[other] 审查该申请的官员以外的人员
 }。
error-case-if_match_required = 请在 If-Match 中发送案件的 ETag（其版本），可从 GET /api/v1/cases/{"{"}number{"}"} 获取。
error-case-if_match_invalid = If-Match 必须是案件的 ETag，例如 "3"。

error-body-not_json = 请求正文不是有效的 JSON：{ $detail }
error-body-json_content_type = 请以 JSON 格式发送正文，并设置 Content-Type: application/json。
error-body-too_large = 请求正文过大。
error-body-unreadable = 无法读取请求正文：{ $detail }
error-request-unreadable = 无法读取请求：{ $detail }

error-auth-session_expired = 会话未知或已过期。请重新登录。
error-auth-account_disabled = 该账户已停用。
error-auth-role_required = 此操作需要 { $roles } 角色；您的角色是 { $role }。
error-auth-role_not_for_cases = { $role } 角色不处理案件。
error-auth-login_required = 请登录：在 Authorization: Bearer 中发送 POST /api/v1/auth/login 返回的令牌。
error-auth-api_key_unknown = API 密钥未知或已被撤销。
error-auth-access_code_required = 请发送回执上的访问码：Authorization: Bearer 加访问码。
error-auth-login_failed = 用户名或密码错误。
error-auth-code_wrong = 安全码不正确或已被使用。
error-auth-second_factor_required = 此账户使用第二重验证登录：请携此令牌将安全码发送到 POST /api/v1/auth/code，或在登录时一并发送。
error-auth-second_factor_setup_required = 此账户必须先设置第二重验证：POST /api/v1/auth/second-factor。
error-second_factor-not_for_role = { $role } 角色不使用第二重验证。
error-second_factor-already_set_up = 此账户已设置第二重验证；管理员可以将其重置。
error-second_factor-not_started = 当前没有正在设置的第二重验证：请先调用 POST /api/v1/auth/second-factor。
error-second_factor-not_signing_in = 此会话并未在等待安全码。
error-auth-credentials_required = 请输入用户名和密码。

error-upload-multipart = 无法读取上传内容：{ $detail }
error-upload-body_too_large = 上传内容过大：{ $detail }
error-upload-unexpected_field = 意外的字段；请发送 kind 和 file。
error-upload-unnamed_field = 上传内容中有一部分没有名称；请发送 kind 和 file。
error-upload-not_now = 只能在草稿阶段或被要求补充信息时添加文件；此申请的状态为 { $state }。
error-upload-too_large = 文件大小为 { $size } 字节；最多接受 { $max } 字节。
error-upload-file_too_large = 文件过大：此类文件最多接受 { $max } 字节。
error-upload-empty = 文件为空。
error-upload-type_not_allowed = 此处不接受 { $detected } 类型的文件。可接受：{ $allowed }。
error-upload-unrecognised_type = 无法识别文件类型。请上传 JPEG、PNG 或 PDF。
error-upload-archive = 不接受压缩文件（{ $kind }）。请分别上传每份文件。
error-upload-image_too_large = 图像为 { $width }×{ $height } 像素；最多接受 { $max_pixels } 像素。
error-upload-bad_image = 无法读取图像：{ $detail }
error-upload-bad_pdf = 无法读取 PDF：{ $detail }
error-upload-active_pdf = PDF 含有活动内容（{ $what }）。请将其打印为普通 PDF 后再上传。
error-document-not_in_checklist = “{ $value }”不在此证件类型的材料清单中：{ $known }。

error-account-username_format = 请使用 3 至 64 个拉丁字母、数字、点、连字符或下划线。
error-account-role_unknown = 未知角色“{ $value }”；应为以下之一：{ $known }。
error-account-password_short = 密码至少需要 { $min } 个字符。
error-account-language_unknown = 未知语言“{ $value }”；应为以下之一：{ $known }。
error-account-host_kind_for_hosts = 只有接待方才有接待方类型。
error-account-api_key_for_hosts = API 密钥仅发给接待方账户。
error-account-own_account = 不能停用自己的账户。
error-host_kind-unknown = 未知的接待方类型“{ $value }”；应为以下之一：{ $known }。
error-policy-invalid = 第 { $line } 行：{ $detail }

error-arrival-not_assessable = 无法计算此次抵达的申报期限：{ $detail }
error-arrival-not_stored = 无法记录抵达申报。请重试。
error-arrival-deadline_passed = 此次抵达的通知截止时间已过（{ $deadline }）。如客人已抵达，请改为立即提交抵达通知。
error-arrival-already_notified = 此次抵达已于 { $notified_at } 提交通知。
error-arrival-not_arrived_yet = 计划抵达时间（{ $planned }）尚未到来。请在客人抵达后确认，或填写其实际抵达时间。
error-arrival-status_unknown = 未知状态“{ $value }”；应为 expected 或 notified。
error-csv-unreadable = 无法读取第 { $line } 行：{ $detail }
error-csv-empty = CSV 为空；第一行应列出各列：{ $columns }
error-csv-columns = 应为以下各列：{ $columns }；实际为：{ $got }。
error-csv-column_count = 应有 { $expected } 列，实际为 { $found } 列。

error-state-unknown = 未知状态“{ $value }”；应为以下之一：{ $known }。
error-cursor-invalid = 这不是上一页返回的游标。

error-stay-syntax = “{ $input }”不是停留期：请写作 入境:出境，仍在停留时写作 入境:，日期格式为 YYYY-MM-DD。
error-stay-bad_date = 停留期“{ $input }”中的“{ $value }”不是有效日期。
error-stay-exit_before_entry = 第 { $stay } 段停留：出境日期 { $exit } 早于入境日期 { $entry }。
error-stay-entry_after_control = 第 { $stay } 段停留：入境日期 { $entry } 晚于核查日期 { $on }。
error-stay-several_open = 第 { $stay } 段停留：只能有一段停留没有出境日期，但第 { $other } 段也没有。
error-stay-open_not_latest = 第 { $stay } 段停留：没有出境日期的停留必须是最后一段，但第 { $later } 段在 { $later_entry } 入境，更晚。
error-stay-zero_days = 至少应为 1 天。
error-stay-limit_not_below_window = { $limit } 天的上限必须小于 { $window } 天的计算期。
error-stay-until_before_on = 计划离境日期 { $until } 早于核查日期 { $on }。
error-stay-out_of_range = 自 { $on } 起，最后合法停留日将晚于 { $max }，超出支持的日期范围。
error-stay-no_rule = 政策中没有在 { $on } 有效的停留规则。

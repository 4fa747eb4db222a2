# 按稳定代码列出的输入错误：消息 id 为 `error-` 加上代码（`.` 换成 `-`）。
# 每条消息在 kk、ru、en、zh 中都有，变量相同。$max、$line、$column 为数字，其余为文本。

## 通用

error-field-required = 此项为必填项。
error-field-too_long = 最多填写 { $max } 个字符。
error-body-invalid = 无法读取请求：{ $detail }
error-language-unknown = 不支持语言“{ $value }”；请使用 kk、ru、en 或 zh。
error-action-unknown = “{ $value }”不是此处可执行的操作。

## 日期和时间

error-date-invalid = “{ $value }”不是日期；请按 2027-01-31 的格式填写。
error-date-not_past = 日期必须早于今天。
error-time-invalid = “{ $value }”不是日期时间；请使用 RFC 3339 格式，例如 2026-11-20T14:30:00+05:00。
error-time-future = 时间不能晚于现在。

## 申请人

error-name-characters = 姓名中含有不可见的控制字符，请重新输入。
error-passport-characters = 只能填写护照上印的拉丁字母和数字。
error-passport-expired = 该护照已于 { $date } 过期。请使用有效护照申请。
error-nationality-format = 请填写护照上的三字母国家代码，例如 KAZ 或 DEU。
error-nationality-unknown = { $value } 不是已知的国家代码。请填写护照上的三字母代码，例如 KAZ 或 DEU。
error-sex-invalid = 请按护照填写 M（男）、F（女）或 X（未指明）。
error-email-invalid = 请输入电子邮件地址，例如 name@example.org。
error-phone-invalid = 请按国际格式输入电话号码，以 + 和国家代码开头，例如 +7 701 234 5678。
error-access_code-invalid = 请输入回执上的访问码：26 个字母和数字，例如 7K2M-Q9XD-…。

## 护照或身份证的机读区（MRZ）

error-mrz-shape = 机读区应为 2 行各 44 个字符（护照）、2 行各 36 个字符或 3 行各 30 个字符（身份证）；输入的各行长度为：{ $lengths }。请完整复制每一行。
error-mrz-character = 第 { $line } 行第 { $column } 列是“{ $char }”；机读区只能包含大写拉丁字母、数字和 <。
error-mrz-document_code = 证件代码“{ $value }”应为一个字母后接一个字母或 <。
error-mrz-document_kind = { $format } 格式的机读区中，证件代码应以 { $expected } 开头，而不是“{ $value }”。
error-mrz-visa = 这是签证的机读区（代码“{ $value }”）；请改为输入护照的机读区。
error-mrz-name_empty = 机读区中的姓名没有以姓开头；请检查复制内容。
error-mrz-name_digit = 机读区中的姓名含有数字；请检查复制内容。
error-mrz-long_number = 校验位是 <，但可选数据并未接续证件号码；请检查复制内容。
error-mrz-empty = 机读区的这一部分为空；请检查是否完整复制。
error-mrz-check_digit = 校验位是 { $printed }，应为 { $expected }。请检查这一部分是否有输错的字符。
error-mrz-state_code = “{ $value }”不是国家代码；应为 3 个字母，末尾可用 < 填充。
error-mrz-date = “{ $value }”不是有效日期（YYMMDD）；请检查复制内容。
error-mrz-sex = 性别为“{ $value }”；应为 M、F、X 或 <。
error-mrz-incomplete = 无法完整读取机读区；请检查复制内容。

## 申请和决定

error-permit_type-unknown = “{ $value }”不是有效的证件类型；请从以下选择：{ $known }。
error-reason-required = 请选择原因：“{ $action }”操作需要原因。
error-reason-not_for_action = 原因“{ $value }”不适用于“{ $action }”操作；请另选一个。
error-reason-unknown = “{ $value }”不是“{ $action }”操作的有效原因；请从以下选择：{ $known }。
error-validity-from_required = 请填写证件的生效日期。
error-validity-until_required = 请填写证件的有效期截止日期。
error-validity-before_from = 截止日期 { $until } 早于生效日期 { $from }；请更正其中一个。
error-validity-too_long = 此类证件的有效期最长为 { $max } 天。
error-collection-required = 请填写领取证件的时间和地点。
error-collection-place_empty = 请填写领取证件的地点。
error-document-missing = 缺少文件“{ $document }”；请先上传。

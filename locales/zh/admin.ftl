# 管理员页面：账户、API 密钥、政策（web/admin.rs、templates/admin/）。

admin-forbidden-title = 您无法打开此页面
admin-forbidden-text = 此页面仅供管理员使用。您的账户没有该角色；如有需要，请联系管理员。
admin-forbidden-back = 前往您的首页

admin-back = 返回管理
admin-back-users = 返回账户列表

admin-role = 角色
admin-role-officer = 移民官员
admin-role-officer-hint = 处理本办事处的申请队列。
admin-role-supervisor = 主管
admin-role-supervisor-hint = 还可以作为第二人批准和签发的官员。
admin-role-admin = 管理员
admin-role-admin-hint = 管理账户、API 密钥和政策。
admin-role-host = 接待方
admin-role-host-hint = 通报外国人抵达的酒店、房东、雇主或大学。

admin-home-title = 管理
admin-home-lead = 管理登录 tirkeu 的账户以及系统所依据的政策。
admin-home-users-hint = 创建账户、停用账户，并为接待方发放 API 密钥。
admin-home-policy-hint = 查看现行规则，下载政策文件并替换。
admin-home-accounts = 各角色的账户数
admin-home-disabled = 已停用的账户
admin-home-policy = 现行政策

admin-users-title = 账户
admin-users-caption = 全部账户
admin-office = 办事处
admin-host-kind = 接待方类别
admin-created = 创建时间
admin-state = 状态
admin-actions = 操作
admin-disabled = 已停用
admin-active = 有效
admin-you = 这是您本人
admin-enable = 启用
admin-disable = 停用

admin-new-title = 创建账户
admin-username-hint = 3 至 64 个拉丁字母、数字、点、连字符或下划线。
admin-office-hint = 官员和主管只能看到本办事处的案件。可不填。
admin-office-none = 无办事处
admin-host-kind-hint = 仅适用于接待方：逾期通报的罚款取决于此。不选则使用政策中的第一种类别。
admin-host-kind-none = 不是接待方
admin-password-hint = 至少 12 个字符。留空则自动生成密码，并只向您显示一次。
admin-email = 电子邮件地址
admin-email-hint = 发给此账户的消息将发送到这里；接待方会收到抵达通知截止时间的提醒。选填。
admin-language = 消息语言
admin-language-hint = 发给此账户的电子邮件所用的语言。选填。
admin-language-none = 未设置
admin-new-submit = 创建账户

admin-done-created = 账户已创建。
admin-done-disabled = 账户已停用：其会话已结束，其 API 密钥不再有效。
admin-done-enabled = 账户已重新启用。
admin-done-revoked = API 密钥已撤销，不再有效。
admin-done-replaced = 新政策已生效：{ $id }，版本 { $version }。

admin-user-title = 账户 { $name }
admin-own-account = 这是您本人的账户，不能在此停用。
admin-disable-hint = 停用会结束该账户的会话并使其 API 密钥失效。之后可以重新启用。

admin-keys-title = API 密钥
admin-keys-lead = 接待方的软件通过 API 通报抵达时需发送 API 密钥。密钥只在创建时显示一次；系统只保存其指纹。
admin-keys-none = 该接待方还没有 API 密钥。
admin-key-label = 名称
admin-key-label-hint = 写明密钥的用途，例如“前台”或预订系统的名称。
admin-key-revoked = 已于 { $at } 撤销
admin-key-new = 创建 API 密钥
admin-key-submit = 创建密钥
admin-revoke = 撤销

admin-once-password-title = 账户已创建
admin-once-key-title = API 密钥已创建
admin-once-gone-title = 已显示过
admin-once-for = 账户：{ $name }
admin-once-password = 密码
admin-once-key = API 密钥
admin-once-key-label = 名称：{ $label }
admin-once-warning = 请立即复制：它不会再次显示。tirkeu 只保存其指纹，以后任何人都无法查到它。
admin-once-password-use = 请以安全的方式交给账户的所有者，他们用它登录。
admin-once-key-use = 接待方的软件在每次请求中通过以下请求头发送它：
admin-once-gone = 此密钥信息已显示过一次，不会再次显示。如果遗失，请新建一个（并撤销旧密钥）。
admin-once-back = 返回账户 { $name }

admin-revoke-title = 撤销 API 密钥“{ $label }”？
admin-revoke-warning = 使用此密钥的软件将无法再通报抵达。此操作无法撤回。
admin-revoke-submit = 是，撤销密钥
admin-cancel = 取消

admin-policy-title = 政策
admin-policy-name = 名称
admin-policy-id = 标识
admin-policy-version = 版本
admin-policy-source = 来源
admin-policy-source-default = tirkeu 内置的默认政策（policy/kz.toml）
admin-policy-source-file = 替代内置默认政策而加载的政策文件
admin-policy-zone = 时区
admin-policy-download = 下载政策文件（TOML）
admin-policy-rules = 期限与限制
admin-policy-deadline = 接待方须在以下期限内通报抵达
admin-policy-card-after = 居留超过以下期限需要居留卡
admin-policy-host-kinds = 接待方类别
admin-policy-types = 居留卡类型
admin-policy-processing = 审理期限
admin-policy-validity = 最长有效期
admin-policy-fee = 费用
admin-policy-documents = 材料
admin-policy-optional = 可选
admin-policy-fines = 罚款
admin-policy-offence = 违法行为
admin-policy-who = 适用对象
admin-policy-amount = 金额
admin-policy-article = 条款
admin-policy-offence-late = 逾期通报抵达
admin-policy-offence-overstay = 逾期居留
admin-policy-any-host = 任何接待方
admin-policy-any-overstay = 任何逾期
admin-policy-days-over-range = 逾期 { $from } 至 { $to } 天
admin-policy-days-over-from = 逾期 { $count } 天及以上
admin-policy-offices = 办事处
admin-policy-address = 地址
admin-policy-serves = 服务地区
admin-policy-office-default = 服务所有其他办事处未覆盖的地区
admin-policy-hours = { $count } 小时
admin-policy-working-days = { $count } 个工作日
admin-policy-days = { $count } 天
admin-amount-kzt = { $amount } 坚戈
admin-amount-mci = { $mci } 个月核算基数
admin-amount-mci-today = { $mci } 个月核算基数（今日 { $amount } 坚戈）

admin-policy-replace = 替换政策
admin-policy-replace-lead = 下载上方的文件，修改后在此上传，或将整个文件粘贴到文本框中。文件会先经过检查：有任何问题的文件都会被拒绝，现行政策保持不变。
admin-policy-file = 政策文件
admin-policy-file-hint = 不超过 { $max } KiB 的 TOML 文件。
admin-policy-text = 或者将政策粘贴到这里
admin-policy-text-hint = 未选择文件时使用。
admin-policy-submit = 检查并生效
admin-policy-refused = 政策中有 { $count } 个问题，已在下方按行和字段列出；政策未生效。
admin-policy-issues = 政策文件中的问题
admin-policy-line = 行
admin-policy-field = 字段
admin-policy-problem = 问题所在
admin-policy-english = 政策检查程序目前只用英文描述问题。

error-account-role_required = 请选择账户的角色。
error-account-username_taken = 该用户名已被使用，请另选一个。
error-office-unknown = 未知的办事处“{ $value }”；应为以下之一：{ $known }。
error-policy-too_large = 政策文件超过 { $max } KiB。
error-policy-encoding = 该文件不是 UTF-8 文本。请将政策另存为 UTF-8 后重新上传。
error-policy-missing = 请选择政策文件，或将政策粘贴到文本框中。
admin-role-office = 角色与办事处
admin-amount-no-fee = 免费
admin-amount-warning = 警告，不罚款
admin-user-office = 办事处：{ $name }
admin-user-host-kind = 接待方类别：{ $name }

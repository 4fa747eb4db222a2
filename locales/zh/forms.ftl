# 申请人表单共用的词：日期的三个输入框，以及文件是否必需。

date-day = 日
date-month = 月
date-year = 年
document-required = 必需
document-optional = 如适用
